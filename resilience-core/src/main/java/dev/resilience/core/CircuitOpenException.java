package dev.resilience.core;

/** A call rejected because its circuit breaker is OPEN, or HALF_OPEN with every probe taken. */
public final class CircuitOpenException extends CallRejectedException {

  private static final long serialVersionUID = 1L;

  private final String breaker;

  /**
   * Creates the exception.
   *
   * @param endpoint the endpoint whose call was rejected
   * @param breaker the breaker that rejected it
   * @param retryAfterNanos nanoseconds until the breaker may let a probe through
   */
  public CircuitOpenException(String endpoint, String breaker, long retryAfterNanos) {
    super(endpoint, retryAfterNanos);
    this.breaker = breaker;
  }

  /** Returns the name of the breaker that rejected the call. */
  public String breaker() {
    return breaker;
  }

  @Override
  public String getMessage() {
    return "Circuit breaker '"
        + breaker
        + "' rejected a call to '"
        + endpoint()
        + "'; retry after "
        + retryAfterMillisRoundedUp()
        + " ms";
  }
}
