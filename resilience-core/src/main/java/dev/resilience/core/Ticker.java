package dev.resilience.core;

/**
 * A monotonic clock in nanoseconds. Only differences between two readings have a meaning.
 *
 * <p>Every component reads time through a ticker so that tests can drive time by hand instead of
 * sleeping. The value is never wall-clock time: a change of the system clock must not open or close
 * a breaker.
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current reading in nanoseconds. */
  long read();

  /** Returns the ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}
