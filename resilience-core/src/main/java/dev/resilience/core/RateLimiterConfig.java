package dev.resilience.core;

import java.time.Duration;

/**
 * The immutable settings of one token bucket, validated when built.
 *
 * @param capacityPerSecond tokens added per second, continuously; fractional rates are allowed
 *     (0.5 is one token every two seconds); greater than 0 and at most 1e9
 * @param burst the most tokens the bucket holds, and the tokens it starts with; at least 1
 * @param maxWait how long a call may wait for a token before it is rejected; zero never waits
 */
public record RateLimiterConfig(double capacityPerSecond, int burst, Duration maxWait) {

  /** The highest rate: one token per nanosecond, the ticker's resolution. */
  public static final double MAX_RATE = 1e9;

  private static final double NANOS_PER_SECOND = 1e9;

  /** Validates the values. */
  public RateLimiterConfig {
    Checks.inRange("capacityPerSecond", capacityPerSecond, 0, MAX_RATE);
    Checks.atLeast("burst", burst, 1);
    Checks.notNegative("maxWait", maxWait);
    if ((double) intervalNanos(capacityPerSecond) * burst > Long.MAX_VALUE / 4.0) {
      throw new InvalidConfigException(
          "burst",
          Integer.toString(burst),
          "small enough that burst / capacityPerSecond stays under 60 years");
    }
  }

  /** Returns the defaults: 8 tokens per second, a burst of 16, waiting at most 1 second. */
  public static RateLimiterConfig defaults() {
    return new RateLimiterConfig(8, 16, Duration.ofSeconds(1));
  }

  /** Returns a copy with another rate. */
  public RateLimiterConfig withCapacityPerSecond(double capacityPerSecond) {
    return new RateLimiterConfig(capacityPerSecond, burst, maxWait);
  }

  /** Returns a copy with another burst. */
  public RateLimiterConfig withBurst(int burst) {
    return new RateLimiterConfig(capacityPerSecond, burst, maxWait);
  }

  /** Returns a copy with another maximum wait. */
  public RateLimiterConfig withMaxWait(Duration maxWait) {
    return new RateLimiterConfig(capacityPerSecond, burst, maxWait);
  }

  /**
   * Returns the nanoseconds between two tokens, rounded up so that the bucket never admits more
   * than the configured rate.
   */
  public long intervalNanos() {
    return intervalNanos(capacityPerSecond);
  }

  /** Returns the time the bucket takes to refill from empty to {@code burst}. */
  public Duration refillTime() {
    return Duration.ofNanos(intervalNanos() * burst);
  }

  private static long intervalNanos(double capacityPerSecond) {
    return (long) Math.ceil(NANOS_PER_SECOND / capacityPerSecond);
  }
}
