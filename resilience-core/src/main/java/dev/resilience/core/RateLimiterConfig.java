package dev.resilience.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * The immutable settings of one token bucket, validated when built.
 *
 * @param capacityPerSecond tokens added per second, continuously; fractional rates are allowed (0.5
 *     is one token every two seconds); greater than 0 and at most 1e9
 * @param burst the most tokens the bucket holds, and the tokens it starts with; at least 1
 * @param maxWait how long a call may wait for a token before it is rejected; zero never waits
 */
public record RateLimiterConfig(double capacityPerSecond, int burst, Duration maxWait) {

  /** The highest rate: one token per nanosecond, the ticker's resolution. */
  public static final double MAX_RATE = 1e9;

  /** The lowest rate: one token in about 31 years. */
  public static final double MIN_RATE = 1e-9;

  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  /** Validates the values. */
  public RateLimiterConfig {
    Checks.inRange("capacityPerSecond", capacityPerSecond, 0, MAX_RATE);
    if (capacityPerSecond < MIN_RATE) {
      throw new InvalidConfigException(
          "capacityPerSecond",
          Double.toString(capacityPerSecond),
          "at least 1.0E-9 (one token in about 31 years)");
    }
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

  /**
   * Returns a copy with another rate; the starter applies each property this way, one at a time.
   */
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

  /**
   * Exact: {@code new BigDecimal(double)} is the rate's exact binary value, so that a rate a hair
   * below a round number (1.0 / 3 is 0.33333333333333331...) still rounds the interval up. Double
   * division would round it to 3 s, a hair too short.
   */
  private static long intervalNanos(double capacityPerSecond) {
    return NANOS_PER_SECOND
        .divide(new BigDecimal(capacityPerSecond), 0, RoundingMode.CEILING)
        .longValueExact();
  }
}
