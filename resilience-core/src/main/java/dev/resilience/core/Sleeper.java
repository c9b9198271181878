package dev.resilience.core;

import java.util.concurrent.locks.LockSupport;

/** Parks the current thread for a reserved wait. */
final class Sleeper {

  private Sleeper() {}

  /**
   * Sleeps {@code nanos} of real time. Real time on purpose: the wait was computed by a bucket's
   * ticker as a duration, and only the system clock can make a thread sleep.
   */
  static void sleep(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for a rate-limit token");
      }
    }
  }
}
