package dev.resilience.core;

import java.util.Objects;

/**
 * Settings of an {@link AdaptiveLimit}: how many calls of an endpoint may be in flight at once, a
 * number that moves between {@code minLimit} and {@code maxLimit} with what the downstream answers.
 *
 * <p>Defaults ({@link #defaults()}): AIMD, limits 1 to 200 starting at 20, backoff 0.9, and for the
 * gradient a short window of 10 samples, a long one of 5,000, a tolerance of 1.1 and a smoothing of
 * 0.5. The tolerance is above 1 because a real downstream jitters: with 1.0, short-term averages a
 * few percent above the long-term one (which follows the lowest of them) read as a queue, and the
 * limit of the sample application, in front of an exchange 200 ms away on a busy machine, sank and
 * never grew back once a real queue was gone; 1.1 lets a tenth of a round trip stand as a queue
 * instead. The long window is long (one success in 4 is a sample, so about 20 s at 1,000 calls a
 * second) so that a queue does not quickly pass for the downstream's normal latency; the limit
 * steps about once a round trip, so a smoothing of 0.5 goes halfway to its target each round trip.
 * The 0.9 backoff is gentler than TCP's halving: a downstream answering 503 is usually a little
 * over its capacity, not half of it, and a halving would waste the other half until the limit grew
 * back one call at a time.
 *
 * @param algorithm how the limit moves
 * @param minLimit the lowest the limit goes, at least 1, so that some call always probes the
 *     downstream
 * @param maxLimit the highest the limit goes, at least {@code minLimit} and at most {@value
 *     #MAX_LIMIT}
 * @param initialLimit the limit before any call ended, from {@code minLimit} to {@code maxLimit}
 * @param backoffRatio what a counted drop multiplies the limit by, greater than 0 and less than 1
 * @param shortWindow GRADIENT: the samples the short-term round-trip time averages over, and how
 *     the fewest samples between two updates of the limit (at least a limit's worth of calls pass
 *     between two, about a round trip); at least 1
 * @param longWindow GRADIENT: the samples the long-term round-trip time averages over, greater than
 *     {@code shortWindow}
 * @param tolerance GRADIENT: how much slower than the long-term round-trip time the short-term one
 *     may be before the limit shrinks (towards {@code limit * long / short}) and stops growing, at
 *     least 1 (1.0: any slowdown shrinks it, jitter included; raise it for a noisier downstream)
 * @param smoothing GRADIENT: how far each update moves the limit towards its target, greater than 0
 *     and at most 1
 */
public record AdaptiveLimitConfig(
    Algorithm algorithm,
    int minLimit,
    int maxLimit,
    int initialLimit,
    double backoffRatio,
    int shortWindow,
    int longWindow,
    double tolerance,
    double smoothing) {

  /** How an {@link AdaptiveLimit} moves. */
  public enum Algorithm {
    /**
     * Loss-based: a counted drop (429, 5xx, timeout) multiplies the limit by {@code backoffRatio};
     * a success while at least half the limit is in use adds one.
     */
    AIMD,
    /**
     * Latency-based: while the short-term round-trip time is above the long-term one the limit
     * follows their ratio down; otherwise it grows by a queue allowance while in use; a counted
     * drop backs off as in AIMD. For a downstream that queues rather than sheds.
     */
    GRADIENT
  }

  /** The highest {@code maxLimit}: the calls in flight are counted in 24 bits. */
  public static final int MAX_LIMIT = (1 << 24) - 1;

  private static final AdaptiveLimitConfig DEFAULTS =
      new AdaptiveLimitConfig(Algorithm.AIMD, 1, 200, 20, 0.9, 10, 5000, 1.1, 0.5);

  /**
   * Validates the settings.
   *
   * @throws InvalidConfigException naming the first field out of range
   */
  public AdaptiveLimitConfig {
    Objects.requireNonNull(algorithm, "algorithm");
    Checks.atLeast("minLimit", minLimit, 1);
    if (maxLimit < minLimit || maxLimit > MAX_LIMIT) {
      throw new InvalidConfigException(
          "maxLimit",
          Integer.toString(maxLimit),
          "at least minLimit (" + minLimit + ") and at most " + MAX_LIMIT);
    }
    if (initialLimit < minLimit || initialLimit > maxLimit) {
      throw new InvalidConfigException(
          "initialLimit",
          Integer.toString(initialLimit),
          "from minLimit (" + minLimit + ") to maxLimit (" + maxLimit + ")");
    }
    if (!(backoffRatio > 0 && backoffRatio < 1)) {
      throw new InvalidConfigException(
          "backoffRatio", Double.toString(backoffRatio), "greater than 0 and less than 1");
    }
    Checks.atLeast("shortWindow", shortWindow, 1);
    if (longWindow <= shortWindow) {
      throw new InvalidConfigException(
          "longWindow",
          Integer.toString(longWindow),
          "greater than shortWindow (" + shortWindow + ")");
    }
    if (!(tolerance >= 1 && tolerance < Double.POSITIVE_INFINITY)) {
      throw new InvalidConfigException(
          "tolerance", Double.toString(tolerance), "at least 1 and finite");
    }
    Checks.inRange("smoothing", smoothing, 0, 1);
  }

  /** Returns the defaults: AIMD from 1 to 200 starting at 20, backoff 0.9. */
  public static AdaptiveLimitConfig defaults() {
    return DEFAULTS;
  }

  /** Returns these settings with another algorithm. */
  public AdaptiveLimitConfig withAlgorithm(Algorithm algorithm) {
    return new AdaptiveLimitConfig(
        algorithm,
        minLimit,
        maxLimit,
        initialLimit,
        backoffRatio,
        shortWindow,
        longWindow,
        tolerance,
        smoothing);
  }

  /**
   * Returns these settings with other bounds.
   *
   * @throws InvalidConfigException if the bounds are out of order
   */
  public AdaptiveLimitConfig withLimits(int minLimit, int maxLimit, int initialLimit) {
    return new AdaptiveLimitConfig(
        algorithm,
        minLimit,
        maxLimit,
        initialLimit,
        backoffRatio,
        shortWindow,
        longWindow,
        tolerance,
        smoothing);
  }
}
