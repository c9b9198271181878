package dev.resilience.core;

/** A call rejected because its endpoint's token bucket had no token within the allowed wait. */
public final class RateLimitedException extends CallRejectedException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param endpoint the endpoint whose bucket was empty
   * @param retryAfterNanos nanoseconds until the bucket holds a token again
   */
  public RateLimitedException(String endpoint, long retryAfterNanos) {
    super(endpoint, retryAfterNanos);
  }

  @Override
  public String getMessage() {
    return "Rate limit of '"
        + endpoint()
        + "' reached; retry after "
        + retryAfterMillisRoundedUp()
        + " ms";
  }
}
