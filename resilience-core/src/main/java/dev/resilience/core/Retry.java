package dev.resilience.core;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Retries a guarded call: every attempt goes through the guard again (its breaker, its bucket, its
 * bulkhead), so retries never hammer a downstream the breaker has given up on or take more than the
 * bucket allows.
 *
 * <ul>
 *   <li>A failure whose code is in {@link RetryConfig#retryOn()} is retried after a random wait up
 *       to the backoff cap ("full jitter", so that many callers do not retry in step); any other
 *       exception reaches the caller at once.
 *   <li>When the downstream said how long to wait ({@code Retry-After}), that wait replaces the
 *       backoff; one longer than {@code maxBackoff} ends the retries.
 *   <li>An open breaker ends the retries; a rejection by the caller's own bucket or bulkhead is not
 *       retried either (they have their own waits).
 * </ul>
 */
public final class Retry {

  /** What {@code retryAfter} answers when the error carries no wait. */
  public static final long NO_RETRY_AFTER = -1;

  /** What {@link #nextWaitNanos} answers when the attempts end. */
  public static final long STOP = -1;

  private final RetryConfig config;
  private final ToLongFunction<Throwable> retryAfterNanos;
  private final RetryListener listener;
  private final Sleeper sleeper;
  private final LongUnaryOperator jitter;

  /**
   * Creates retries with {@code config}.
   *
   * @param retryAfterNanos the wait a failed attempt's error asks for, in nanoseconds, or {@link
   *     #NO_RETRY_AFTER}
   */
  public static Retry of(
      RetryConfig config, ToLongFunction<Throwable> retryAfterNanos, RetryListener listener) {
    return new Retry(
        config,
        retryAfterNanos,
        listener,
        Sleeper.SYSTEM,
        cap -> cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1));
  }

  Retry(
      RetryConfig config,
      ToLongFunction<Throwable> retryAfterNanos,
      RetryListener listener,
      Sleeper sleeper,
      LongUnaryOperator jitter) {
    this.config = Objects.requireNonNull(config, "config");
    this.retryAfterNanos = Objects.requireNonNull(retryAfterNanos, "retryAfterNanos");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.sleeper = sleeper;
    this.jitter = jitter;
  }

  /** Returns the settings. */
  public RetryConfig config() {
    return config;
  }

  /**
   * Calls {@code call} under {@code guard}, retrying as configured.
   *
   * @param key the call's key for a keyed guard, else null
   * @return what the first successful attempt returned
   * @throws Exception the last attempt's error, or the rejection that ended the attempts
   */
  public <T> T call(
      Guard guard, @Nullable String key, Callable<T> call, FailureClassifier classifier)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return guard.call(key, call, classifier);
      } catch (Exception failed) {
        long wait = nextWaitNanos(guard, attempt, failed, classifier);
        if (wait == STOP) {
          throw failed;
        }
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failed.addSuppressed(e);
          throw failed;
        }
      }
    }
  }

  /**
   * Decides what follows failed attempt {@code attempt}, and tells the listener, exactly as {@link
   * #call} does between its attempts: the one rule for callers that make their attempts their own
   * way (a stage completing later, a re-subscribed publisher) and wait without blocking a thread.
   *
   * <ul>
   *   <li>{@link CircuitOpenException}: {@link #STOP} (the listener hears "stopped by breaker" when
   *       the attempt was not the first);
   *   <li>any other {@link CallRejectedException} (the caller's own bucket or bulkhead): {@link
   *       #STOP}, silently, since it has its own wait;
   *   <li>a code not retried, or none: {@link #STOP}; the last allowed attempt: {@link #STOP},
   *       "exhausted"; a {@code Retry-After} beyond {@code maxBackoff}: {@link #STOP};
   *   <li>otherwise the wait before the next attempt ("retried"): the downstream's {@code
   *       Retry-After}, else a random wait up to the backoff cap.
   * </ul>
   *
   * @param attempt the failed attempt's number, from 1
   * @param failed what ended the attempt, unwrapped of {@code CompletionException} and the like
   * @return the wait in nanoseconds before the next attempt, or {@link #STOP}
   */
  public long nextWaitNanos(
      Guard guard, int attempt, Throwable failed, FailureClassifier classifier) {
    if (failed instanceof CircuitOpenException) {
      if (attempt > 1) {
        listener.onStoppedByBreaker(guard, attempt);
      }
      return STOP;
    }
    if (failed instanceof CallRejectedException) {
      return STOP;
    }
    long wait = waitBefore(guard, attempt, failed, classifier);
    if (wait != STOP) {
      listener.onRetried(guard, attempt, wait);
    }
    return wait;
  }

  /** Returns the wait before the next attempt, or {@link #STOP} when {@code failed} ends them. */
  private long waitBefore(
      Guard guard, int attempt, Throwable failed, FailureClassifier classifier) {
    String code = classifier.classify(failed);
    if (code == null || !config.retries(code)) {
      return STOP;
    }
    if (attempt >= config.maxAttempts()) {
      if (config.maxAttempts() > 1) {
        listener.onExhausted(guard, attempt);
      }
      return STOP;
    }
    long asked = retryAfterNanos.applyAsLong(failed);
    if (asked >= 0) {
      if (asked > config.maxBackoff().toNanos()) {
        listener.onStoppedByRetryAfter(guard, attempt, asked);
        return STOP;
      }
      return asked;
    }
    return jitter.applyAsLong(config.backoffCapNanos(attempt));
  }

  @Override
  public String toString() {
    return "Retry{" + config.maxAttempts() + " attempts, " + config.retryOn() + '}';
  }
}
