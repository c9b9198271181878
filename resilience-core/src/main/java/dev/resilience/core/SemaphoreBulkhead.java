package dev.resilience.core;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bulkhead on a fair {@link Semaphore}: a call that may wait queues first come, first served; a
 * call that may not wait takes a free slot or none, without queueing.
 */
final class SemaphoreBulkhead implements Bulkhead {

  private final String name;
  private final BulkheadConfig config;
  private final Semaphore slots;

  SemaphoreBulkhead(String name, BulkheadConfig config) {
    this.name = name;
    this.config = config;
    this.slots = new Semaphore(config.maxConcurrent(), true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public BulkheadConfig config() {
    return config;
  }

  @Override
  public boolean tryAcquire(long maxWaitNanos) throws InterruptedException {
    return maxWaitNanos <= 0
        ? slots.tryAcquire()
        : slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void release() {
    // A slot given back holds one until then, so all slots free means none was taken: a release
    // that finds them so is a second one for the same call.
    if (slots.availablePermits() >= config.maxConcurrent()) {
      throw new IllegalStateException(
          "Bulkhead '" + name + "' has no slot taken: give each slot back exactly once");
    }
    slots.release();
  }

  @Override
  public int inFlight() {
    return config.maxConcurrent() - slots.availablePermits();
  }

  @Override
  public String toString() {
    return "Bulkhead{" + name + ", " + inFlight() + '/' + config.maxConcurrent() + " in flight}";
  }
}
