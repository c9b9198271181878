package dev.resilience.core;

/**
 * At most {@code maxConcurrent} calls of an endpoint in flight at once (a voice API's backpressure,
 * an LLM service's queue with a timeout). A call takes a slot before it runs and gives it back when
 * it ends, whatever the outcome.
 */
public interface Bulkhead {

  /**
   * Creates a bulkhead of {@code config.maxConcurrent()} slots.
   *
   * @param name the endpoint name, 1 to 64 of {@code [A-Za-z0-9_.-]}
   * @throws InvalidConfigException if {@code config} limits nothing ({@code maxConcurrent} 0)
   */
  static Bulkhead of(String name, BulkheadConfig config) {
    if (!config.enabled()) {
      throw new InvalidConfigException("maxConcurrent", "0", "at least 1 for a bulkhead");
    }
    return new SemaphoreBulkhead(Checks.name("name", name), config);
  }

  /** Returns the endpoint name. */
  String name();

  /** Returns the bulkhead's settings. */
  BulkheadConfig config();

  /**
   * Takes a slot, waiting up to {@code maxWaitNanos} for one.
   *
   * @return whether a slot was taken; each taken slot must be given back exactly once
   * @throws InterruptedException if interrupted while waiting; no slot was taken then
   */
  boolean tryAcquire(long maxWaitNanos) throws InterruptedException;

  /**
   * Gives a taken slot back.
   *
   * @throws IllegalStateException if no slot is taken: a slot given back twice would let one call
   *     too many in for ever
   */
  void release();

  /** Returns the calls in flight now. */
  int inFlight();
}
