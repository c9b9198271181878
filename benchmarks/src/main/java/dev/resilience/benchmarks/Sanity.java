package dev.resilience.benchmarks;

/**
 * Checks, in a benchmark's set-up, that the state measured is the state claimed: a number from a
 * bucket that was not empty, or a bean that was not proxied, would be a lie.
 */
final class Sanity {

  private Sanity() {}

  /** Fails the benchmark's set-up with {@code message} unless {@code condition} holds. */
  static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException("benchmark set-up: " + message);
    }
  }

  /** Whether {@code call} throws {@code expected}; any other exception is rethrown. */
  static boolean rejects(Runnable call, Class<? extends RuntimeException> expected) {
    try {
      call.run();
      return false;
    } catch (RuntimeException e) {
      if (expected.isInstance(e)) {
        return true;
      }
      throw e;
    }
  }
}
