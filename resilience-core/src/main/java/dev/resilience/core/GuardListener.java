package dev.resilience.core;

/**
 * Told of the outcome of every call through a {@link Guard}: the hook for metrics. Called on the
 * calling thread; implementations must be fast and must not throw.
 */
public interface GuardListener {

  /** The call succeeded. */
  default void onSuccess(Guard guard) {}

  /**
   * The call failed with a failure that counts against the downstream, under {@code code}; a
   * success slower than the breaker's slow-call duration comes here as code {@code slow}.
   */
  default void onFailure(Guard guard, String code) {}

  /** The call threw an exception that does not count against the downstream. */
  default void onIgnoredError(Guard guard, Throwable error) {}

  /** The call was turned away, by the breaker or by the rate limiter. */
  default void onRejected(Guard guard, CallRejectedException rejection) {}

  /**
   * The call found the bucket empty: it waited {@code waitNanos} for a token when {@code admitted},
   * or would have had to wait longer than allowed and was rejected.
   */
  default void onBucketEmpty(Guard guard, long waitNanos, boolean admitted) {}

  /**
   * A failure of the call asked for a pause ({@link DownstreamPacing}): the endpoint's bucket is
   * held empty until {@code untilNanos}, a reading of the guard's ticker.
   */
  default void onDownstreamPause(Guard guard, long untilNanos) {}
}
