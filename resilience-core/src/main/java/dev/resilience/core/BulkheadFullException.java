package dev.resilience.core;

/**
 * A call rejected because its endpoint's bulkhead had no free slot within the allowed wait, or
 * because its endpoint's {@link AdaptiveLimit} was reached (an adaptive limit never waits).
 */
public final class BulkheadFullException extends CallRejectedException {

  private static final long serialVersionUID = 1L;

  private final int maxConcurrent;
  private final boolean adaptive;

  /**
   * Creates the exception.
   *
   * @param endpoint the endpoint whose bulkhead was full
   * @param maxConcurrent the most calls the endpoint runs at once
   */
  public BulkheadFullException(String endpoint, int maxConcurrent) {
    this(endpoint, maxConcurrent, false);
  }

  /**
   * Creates the exception.
   *
   * @param endpoint the endpoint whose bulkhead or adaptive limit was full
   * @param maxConcurrent the most calls the endpoint runs at once: for an adaptive limit, the limit
   *     in force when the call was turned away
   * @param adaptive whether the limit was an {@link AdaptiveLimit} rather than a fixed bulkhead
   */
  public BulkheadFullException(String endpoint, int maxConcurrent, boolean adaptive) {
    super(endpoint, 0);
    this.maxConcurrent = maxConcurrent;
    this.adaptive = adaptive;
  }

  /**
   * Returns the most calls the endpoint runs at once; for an {@link #adaptive()} limit, the limit
   * in force when the call was turned away.
   */
  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** Returns whether the endpoint's {@link AdaptiveLimit} turned the call away. */
  public boolean adaptive() {
    return adaptive;
  }

  @Override
  public String getMessage() {
    if (adaptive) {
      return "Adaptive concurrency limit of '"
          + endpoint()
          + "' is reached: "
          + maxConcurrent
          + " calls are in flight already (the limit in force, which moves with the"
          + " downstream's answers)";
    }
    return "Bulkhead of '"
        + endpoint()
        + "' is full: "
        + maxConcurrent
        + " calls are in flight already";
  }
}
