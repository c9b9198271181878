package dev.resilience.core;

/** A call rejected because its endpoint's bulkhead had no free slot within the allowed wait. */
public final class BulkheadFullException extends CallRejectedException {

  private static final long serialVersionUID = 1L;

  private final int maxConcurrent;

  /**
   * Creates the exception.
   *
   * @param endpoint the endpoint whose bulkhead was full
   * @param maxConcurrent the most calls the endpoint runs at once
   */
  public BulkheadFullException(String endpoint, int maxConcurrent) {
    super(endpoint, 0);
    this.maxConcurrent = maxConcurrent;
  }

  /** Returns the most calls the endpoint runs at once. */
  public int maxConcurrent() {
    return maxConcurrent;
  }

  @Override
  public String getMessage() {
    return "Bulkhead of '"
        + endpoint()
        + "' is full: "
        + maxConcurrent
        + " calls are in flight already";
  }
}
