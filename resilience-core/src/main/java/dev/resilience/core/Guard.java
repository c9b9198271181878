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
 * <p>Callers that must report outcomes themselves (an aspect, an asynchronous call) read the clock
 * once with {@link #now()}, pass it to {@link #enter(long)}, take the call's start from {@link
 * #start(long)}, and pass that to exactly one of {@link #onSuccess}, {@link #onError}, or {@link
 * #onFailure}.
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
  /**
   * Whether the breaker's decisions depend on when calls start and end: a slow-call duration or a
   * failure rate is set. Then a call is timed, and its success counts in the window from its end,
   * as failures do; otherwise the guard reads the clock once per call.
   */
  private final boolean timed;
  /** The breaker and bucket behind the interfaces, when they are ours: they take our readings. */
  private final @Nullable TimeWindowCircuitBreaker timeWindowBreaker;
  private final @Nullable TokenBucket tokenBucket;
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
    this.timed = slow != null || breaker.config().failureRateThreshold() != null;
    this.timeWindowBreaker = breaker instanceof TimeWindowCircuitBreaker own ? own : null;
    this.tokenBucket = rateLimiter instanceof TokenBucket own ? own : null;
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
   * Returns one reading of the clock, to pass to {@link #enter(long)} and then to the call's outcome
   * method. Reading the clock is most of the cost of a guarded call, so a call reads it once.
   */
  public long now() {
    return ticker.read();
  }

  /** {@link #enter(long)} at a reading of its own; outcome methods then take a reading of {@link #now()}. */
  public long enter() {
    return enter(ticker.read());
  }

  /**
   * Admits one call at {@code now} (from {@link #now()}): asks the breaker, then takes a token,
   * waiting for it up to the bucket's {@code maxWait}.
   *
   * @return the breaker permit, to hand to exactly one outcome method with {@link #start(long)}
   * @throws CircuitOpenException if the breaker rejects the call
   * @throws RateLimitedException if no token comes within {@code maxWait}, or if the thread is
   *     interrupted while waiting (the interrupt flag is set again)
   */
  public long enter(long now) {
    long permit = breaker.tryAcquirePermission(allowlisted);
    if (permit == CircuitBreaker.REJECTED) {
      throw rejected(new CircuitOpenException(endpoint, breaker.name(), breaker.retryAfterNanos()));
    }
    long wait = tokenBucket != null ? tokenBucket.tryReserve(maxWaitNanos, now) : rateLimiter.tryReserve(maxWaitNanos);
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
   * Returns when the call admitted at {@code now} (the reading given to {@link #enter(long)}) starts,
   * to hand to its outcome method. That is {@code now} itself unless the breaker times calls (a
   * slow-call duration or a failure rate is set); then it is a fresh reading, so that time spent
   * waiting for a token never counts toward the call's duration.
   */
  public long start(long now) {
    return timed ? ticker.read() : now;
  }

  /**
   * Reports that the call started at {@code start} (from {@link #start(long)}) succeeded. When the
   * breaker times calls, the clock is read again: the success counts in the window from its end,
   * and a call slower than the slow-call duration is a {@code slow} failure, for the breaker and the
   * listeners alike. Otherwise the success counts from its start, and no clock is read.
   */
  public void onSuccess(long permit, long start) {
    long end = timed ? ticker.read() : start;
    long duration = end - start;
    if (timeWindowBreaker != null) {
      timeWindowBreaker.onSuccess(permit, duration, end);
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
  public boolean onError(long permit, long start, Throwable error, FailureClassifier classifier) {
    String code = classifier.classify(error);
    if (code != null) {
      onFailure(permit, start, code);
      return true;
    }
    breaker.releasePermission(permit);
    for (GuardListener listener : listeners) {
      listener.onIgnoredError(this, error);
    }
    return false;
  }

  /**
   * Reports that the call started at {@code start} (from {@link #start(long)}) failed in a way that
   * counts, under {@code code}. Failures move the breaker, so they count from a fresh reading of the
   * clock.
   */
  public void onFailure(long permit, long start, String code) {
    long now = ticker.read();
    long duration = timed ? now - start : 0;
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
    long now = now();
    long permit = enter(now);
    long start = start(now);
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
