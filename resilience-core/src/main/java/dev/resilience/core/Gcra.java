package dev.resilience.core;

/**
 * The token-bucket rule as arithmetic on {@code long}s: the generic cell rate algorithm (GCRA). The
 * one home of the rule, shared by the in-process bucket, per-key cells and the tests of any other
 * store that keeps buckets (a Redis script must give the same answers for the same numbers).
 *
 * <p>Instead of a token count and a refill time, a bucket is one number, its theoretical arrival
 * time {@code tat}: the instant at which it would be full again if no call came. With {@code
 * interval} the time between two tokens and {@code tolerance = (burst - 1) * interval}:
 *
 * <ul>
 *   <li>a call at {@code now} may proceed after {@link #waitNanos waitNanos(tat, now, tolerance)}
 *       (zero or less: at once);
 *   <li>taking or reserving its token moves the bucket to {@link #next next(tat, now, interval)},
 *       {@code max(tat, now) + interval};
 *   <li>a fresh bucket, full, has {@code tat = now}.
 * </ul>
 *
 * <p>Every admission advances {@code tat} by one interval and needs {@code tat <= now + tolerance},
 * so over any interval of length {@code t} at most {@code burst + t / interval} calls are admitted.
 * All arguments and results are nanoseconds on one monotonic clock; only differences are compared,
 * so the clock may wrap.
 */
public final class Gcra {

  private Gcra() {}

  /** Returns how far ahead of now {@code tat} may run: {@code (burst - 1) * interval}. */
  public static long tolerance(long intervalNanos, int burst) {
    return (burst - 1) * intervalNanos;
  }

  /**
   * Returns how long a call at {@code now} waits for its token: zero or less means it may proceed
   * at once; a caller that will not wait that long is rejected and changes nothing.
   */
  public static long waitNanos(long tat, long now, long toleranceNanos) {
    return later(tat, now) - toleranceNanos - now;
  }

  /** Returns the {@code tat} after a call at {@code now} took or reserved one token. */
  public static long next(long tat, long now, long intervalNanos) {
    return later(tat, now) + intervalNanos;
  }

  /**
   * Returns the tokens in the bucket at {@code now}, fractions included, between 0 and {@code
   * burst}.
   */
  public static double availableTokens(long tat, long now, long intervalNanos, int burst) {
    // tokens = (now - (tat - burst * interval)) / interval
    double tokens = burst + (double) (now - tat) / intervalNanos;
    return Math.max(0, Math.min(burst, tokens));
  }

  /** Returns the nanoseconds from {@code now} until a whole token is available; 0 when one is. */
  public static long nanosUntilToken(long tat, long now, long toleranceNanos) {
    return Math.max(0, waitNanos(tat, now, toleranceNanos));
  }

  /**
   * Returns the {@code tat} that holds, under a new interval and burst, the tokens a bucket in
   * state {@code tat} held at {@code now}: at most the new burst, rounded toward fewer tokens, and
   * tokens reserved ahead stay owed (counted in tokens, repaid at the new rate). Over any interval
   * that spans such a change, at most {@code burst + t / interval} calls are admitted with the
   * largest burst and the shortest interval in force during it.
   */
  public static long carry(
      long tat,
      long now,
      long oldIntervalNanos,
      int oldBurst,
      long newIntervalNanos,
      int newBurst) {
    // tokens = burst - (tat - now) / interval: negative when tokens were reserved ahead
    double tokens = Math.min(oldBurst, oldBurst - (double) (tat - now) / oldIntervalNanos);
    double kept = Math.min(tokens, newBurst);
    double ahead = Math.ceil((newBurst - kept) * newIntervalNanos);
    // configs keep burst * interval under a quarter of the long range; a debt is as bounded
    return now + (long) Math.min(ahead, Long.MAX_VALUE / 4.0);
  }

  private static long later(long tat, long now) {
    return tat - now > 0 ? tat : now;
  }
}
