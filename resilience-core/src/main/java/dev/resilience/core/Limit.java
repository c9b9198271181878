package dev.resilience.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * The shape of one token bucket of a per-key limit: {@code quota} tokens, refilled evenly over
 * {@code window} ({@code quota / window} per second), never more than {@code quota} at once.
 * Immutable, validated when made.
 *
 * <p>{@code {quota: 5, window: 1s}} lets a key make 5 calls at once, then one every 200 ms. Over
 * any interval of length {@code t}, at most {@code quota + quota * t / window} calls are admitted.
 */
public final class Limit {

  private final int quota;
  private final Duration window;
  private final long intervalNanos;
  private final long toleranceNanos;

  private Limit(int quota, Duration window) {
    this.quota = Checks.atLeast("quota", quota, 1);
    this.window = Checks.positive("window", window);
    this.intervalNanos = interval(quota, window);
    if ((double) intervalNanos * quota > Long.MAX_VALUE / 4.0) {
      throw new InvalidConfigException(
          "window", window.toString(), "at most about 60 years (the clock's range)");
    }
    this.toleranceNanos = Gcra.tolerance(intervalNanos, quota);
  }

  /**
   * Returns the limit of {@code quota} calls per {@code window}.
   *
   * @throws InvalidConfigException if {@code quota < 1} or {@code window} is not positive
   */
  public static Limit of(int quota, Duration window) {
    return new Limit(quota, window);
  }

  /**
   * Returns the limit of a token bucket config: {@code burst} tokens refilled at {@code
   * capacityPerSecond}. Its token interval is exactly that of the config's own bucket.
   */
  public static Limit of(RateLimiterConfig config) {
    return new Limit(config.burst(), Duration.ofNanos(config.intervalNanos() * config.burst()));
  }

  /** Returns how many tokens the bucket holds when full. */
  public int quota() {
    return quota;
  }

  /** Returns the time over which a full quota is refilled. */
  public Duration window() {
    return window;
  }

  /**
   * Returns the nanoseconds between two tokens, rounded up so that the limit never admits more than
   * {@code quota} per {@code window}.
   */
  public long intervalNanos() {
    return intervalNanos;
  }

  long toleranceNanos() {
    return toleranceNanos;
  }

  /** Exact integer division of the window, rounded up: no double rounding can shorten it. */
  private static long interval(int quota, Duration window) {
    BigInteger[] qr =
        BigInteger.valueOf(window.getSeconds())
            .multiply(BigInteger.valueOf(1_000_000_000L))
            .add(BigInteger.valueOf(window.getNano()))
            .divideAndRemainder(BigInteger.valueOf(quota));
    BigInteger interval = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    if (interval.bitLength() > 62) {
      throw new InvalidConfigException(
          "window", window.toString(), "at most about 60 years (the clock's range)");
    }
    return interval.longValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Limit other && quota == other.quota && window.equals(other.window);
  }

  @Override
  public int hashCode() {
    return Objects.hash(quota, window);
  }

  @Override
  public String toString() {
    return "{quota: " + quota + ", window: " + window + '}';
  }
}
