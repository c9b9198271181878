package dev.resilience.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint's protection: its breaker (possibly shared with other endpoints) and its own token
 * bucket, applied in a fixed order. Obtained from {@link ResilienceRegistry#guard}.
 *
 * <p>Order of checks: the breaker first, then the bucket, then the call. A call rejected by the
 * breaker never touches the bucket; a call rejected by the bucket gives its breaker permit back,
 * so that it is not a failure and frees its half-open probe slot.
 *
 * <pre>{@code
 * Guard guard = registry.guard("place_order", "exchange", false);
 * Order order = guard.call(() -> exchange.place(request), FailureClassifier.jdk());
 * }</pre>
 *
 * <p>Callers that must report outcomes themselves (an aspect, an asynchronous call) use {@link
 * #enter()} and {@link #start()}, then exactly one of {@link #onSuccess}, {@link #onError}, or
 * {@link #onFailure}.
 */
public final class Guard {

  private static final GuardListener[] NO_LISTENERS = {};

  private final String endpoint;
  private final CircuitBreaker breaker;
  private final RateLimiter rateLimiter;
  private final boolean allowlisted;
  private final Ticker ticker;
  private final long maxWaitNanos;
  private final long slowNanos;
  /** The breaker behind the interface, when it is ours: it takes our clock readings. */
  private final @Nullable TimeWindowCircuitBreaker timeWindowBreaker;
  private volatile GuardListener[] listeners = NO_LISTENERS;

  Guard(String endpoint, CircuitBreaker breaker, RateLimiter rateLimiter, boolean allowlisted, Ticker ticker) {
    this.endpoint = endpoint;
    this.breaker = breaker;
    this.rateLimiter = rateLimiter;
    this.allowlisted = allowlisted;
    this.ticker = ticker;
    this.maxWaitNanos = rateLimiter.config().maxWait().toNanos();
    Duration slow = breaker.config().slowCallDuration();
    this.slowNanos = slow == null ? Long.MAX_VALUE : slow.toNanos();
    this.timeWindowBreaker = breaker instanceof TimeWindowCircuitBreaker own ? own : null;
  }

  /** Returns the endpoint name: the bucket's name and the metrics' {@code endpoint} tag. */
  public String endpoint() {
    return endpoint;
  }

  /** Returns the breaker this endpoint reports to. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Returns this endpoint's token bucket. */
  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** Returns whether calls pass even while the breaker is OPEN or HALF_OPEN. */
  public boolean allowlisted() {
    return allowlisted;
  }

  /** Returns the ticker this guard and its breaker read. */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Admits one call: asks the breaker, then takes a token, waiting for it up to the bucket's
   * {@code maxWait}.
   *
   * @return the breaker permit, to hand to exactly one outcome method
   * @throws CircuitOpenException if the breaker rejects the call
   * @throws RateLimitedException if no token comes within {@code maxWait}, or if the thread is
   *     interrupted while waiting (the interrupt flag is set again)
   */
  public long enter() {
    long permit = breaker.tryAcquirePermission(allowlisted);
    if (permit == CircuitBreaker.REJECTED) {
      throw rejected(new CircuitOpenException(endpoint, breaker.name(), breaker.retryAfterNanos()));
    }
    long wait = rateLimiter.tryReserve(maxWaitNanos);
    if (wait == 0) {
      return permit;
    }
    if (wait == RateLimiter.REJECTED) {
      breaker.releasePermission(permit);
      long retryAfter = rateLimiter.nanosUntilToken();
      for (GuardListener listener : listeners) {
        listener.onBucketEmpty(this, retryAfter, false);
      }
      throw rejected(new RateLimitedException(endpoint, retryAfter));
    }
    for (GuardListener listener : listeners) {
      listener.onBucketEmpty(this, wait, true);
    }
    try {
      Sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      breaker.releasePermission(permit);
      throw rejected(new RateLimitedException(endpoint, rateLimiter.nanosUntilToken()));
    }
    return permit;
  }

  /**
   * Returns the start of an admitted call, to hand to its outcome method. It reads the clock only
   * when the breaker times calls (a slow-call duration is set): reading the clock is most of the
   * cost of a guarded call, so a call is not timed for nothing.
   */
  public long start() {
    return slowNanos == Long.MAX_VALUE ? 0 : ticker.read();
  }

  /**
   * Reports that the admitted call, started at {@code startNanos} (from {@link #start()}),
   * succeeded. A call slower than the breaker's slow-call duration is a {@code slow} failure, for
   * the breaker and the listeners alike.
   */
  public void onSuccess(long permit, long startNanos) {
    long now = ticker.read();
    long duration = slowNanos == Long.MAX_VALUE ? 0 : now - startNanos;
    if (timeWindowBreaker != null) {
      timeWindowBreaker.onSuccess(permit, duration, now);
    } else {
      breaker.onSuccess(permit, duration);
    }
    boolean slow = duration >= slowNanos;
    for (GuardListener listener : listeners) {
      if (slow) {
        listener.onFailure(this, CircuitBreaker.SLOW);
      } else {
        listener.onSuccess(this);
      }
    }
  }

  /**
   * Reports that the admitted call threw {@code error}; {@code classifier} decides whether it counts
   * as a failure (and with which code) or passes as an ignored error.
   *
   * @return whether the error counted as a failure
   */
  public boolean onError(long permit, long startNanos, Throwable error, FailureClassifier classifier) {
    String code = classifier.classify(error);
    if (code != null) {
      onFailure(permit, startNanos, code);
      return true;
    }
    breaker.releasePermission(permit);
    for (GuardListener listener : listeners) {
      listener.onIgnoredError(this, error);
    }
    return false;
  }

  /** Reports that the admitted call failed in a way that counts, under {@code code}. */
  public void onFailure(long permit, long startNanos, String code) {
    long now = ticker.read();
    long duration = slowNanos == Long.MAX_VALUE ? 0 : now - startNanos;
    if (timeWindowBreaker != null) {
      timeWindowBreaker.onFailure(permit, duration, code, now);
    } else {
      breaker.onFailure(permit, duration, code);
    }
    for (GuardListener listener : listeners) {
      listener.onFailure(this, code);
    }
  }

  /**
   * Runs {@code call} under this guard and reports its outcome.
   *
   * @throws CallRejectedException if the breaker or the bucket turned the call away
   * @throws Exception whatever {@code call} threw, unchanged
   */
  public <T> T call(Callable<T> call, FailureClassifier classifier) throws Exception {
    long permit = enter();
    long start = start();
    T result;
    try {
      result = call.call();
    } catch (Exception | Error e) {
      onError(permit, start, e, classifier);
      throw e;
    }
    onSuccess(permit, start);
    return result;
  }

  /** Adds a listener told of every later call's outcome. */
  public synchronized void addListener(GuardListener listener) {
    Objects.requireNonNull(listener, "listener");
    GuardListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
    grown[listeners.length] = listener;
    listeners = grown;
  }

  private CallRejectedException rejected(CallRejectedException rejection) {
    for (GuardListener listener : listeners) {
      listener.onRejected(this, rejection);
    }
    return rejection;
  }

  @Override
  public String toString() {
    return "Guard{" + endpoint + ", breaker=" + breaker.name() + (allowlisted ? ", allowlisted" : "") + '}';
  }
}
