package dev.resilience.core;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits out a reserved wait for a token. Tests pass their own to see the waits without taking them.
 */
@FunctionalInterface
interface Sleeper {

  /**
   * Sleeps {@code nanos} of real time. Real time on purpose: the wait was computed by a bucket's
   * ticker as a duration, and only the system clock can make a thread sleep.
   */
  Sleeper SYSTEM = Sleeper::park;

  /** Returns after {@code nanos}, or throws if the thread is interrupted first. */
  void sleep(long nanos) throws InterruptedException;

  private static void park(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for a rate-limit token");
      }
    }
  }
}
