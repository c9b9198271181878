package dev.resilience.core.sim;

import dev.resilience.core.AdaptiveLimit;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link Simulation} drives: any concurrency limiter. The simulation sets its clock before
 * each call, so a limiter that reads time reads {@link Simulation#clock()}.
 */
public interface SimLimiter {

  /** Returns the slot of an admitted call, or null if the call is rejected. */
  @Nullable Slot tryAcquire();

  /** Returns the limit in force now, for the trajectory. */
  int limit();

  /** An admitted call, reported exactly once. */
  interface Slot {

    /** The call succeeded after {@code rttNanos}. */
    void succeeded(long rttNanos);

    /** The downstream turned the call away or it timed out ({@code 503}, {@code timeout}). */
    void dropped(long rttNanos, String code);
  }

  /** Drives one of our adaptive limits. */
  static SimLimiter of(AdaptiveLimit limit) {
    Slot slot =
        new Slot() {
          @Override
          public void succeeded(long rttNanos) {
            limit.onSuccess(rttNanos);
          }

          @Override
          public void dropped(long rttNanos, String code) {
            limit.onDropped(rttNanos, code);
          }
        };
    return new SimLimiter() {
      @Override
      public @Nullable Slot tryAcquire() {
        return limit.tryAcquire() ? slot : null;
      }

      @Override
      public int limit() {
        return limit.limit();
      }
    };
  }

  /** A fixed limit of {@code max} calls in flight, as a bulkhead would hold. */
  static SimLimiter fixed(int max) {
    int[] inFlight = {0};
    Slot slot =
        new Slot() {
          @Override
          public void succeeded(long rttNanos) {
            inFlight[0]--;
          }

          @Override
          public void dropped(long rttNanos, String code) {
            inFlight[0]--;
          }
        };
    return new SimLimiter() {
      @Override
      public @Nullable Slot tryAcquire() {
        if (inFlight[0] >= max) {
          return null;
        }
        inFlight[0]++;
        return slot;
      }

      @Override
      public int limit() {
        return max;
      }
    };
  }
}
