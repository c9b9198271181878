package dev.resilience.core;

import java.time.Duration;

/**
 * A call that was not made because a breaker, a rate limiter or a bulkhead turned it away.
 *
 * <p>{@link #retryAfter()} tells when trying again may succeed, so retry libraries can treat both
 * kinds of rejection as retryable after that delay.
 *
 * <p>Rejections happen under load, so they are cheap: no stack trace is filled in (it would only
 * show the guard's own frames) and the message is built only when asked for.
 */
public abstract sealed class CallRejectedException extends RuntimeException
    permits BulkheadFullException, CircuitOpenException, RateLimitedException {

  private static final long serialVersionUID = 1L;

  private final String endpoint;
  private final long retryAfterNanos;

  CallRejectedException(String endpoint, long retryAfterNanos) {
    super(null, null, false, false);
    this.endpoint = endpoint;
    this.retryAfterNanos = Math.max(0, retryAfterNanos);
  }

  /** Returns the endpoint whose call was rejected. */
  public final String endpoint() {
    return endpoint;
  }

  /** Returns how long to wait before trying again; zero when trying at once may succeed. */
  public final Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }

  /** Returns {@link #retryAfter()} in nanoseconds. */
  public final long retryAfterNanos() {
    return retryAfterNanos;
  }

  @Override
  public abstract String getMessage();

  /** Returns the retry-after delay in milliseconds, rounded up, for messages. */
  final long retryAfterMillisRoundedUp() {
    return (retryAfterNanos + 999_999) / 1_000_000;
  }
}
