package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AdaptiveLimit}: the limit and the calls in flight packed in one {@code long}, the
 * limit in the high 32 bits and the count in the low 32, updated by compare-and-set. One word,
 * because the rule "admit only while in flight is below the limit" must read both at the same
 * instant: with two fields a shrink could land between the read of the limit and the increment of
 * the count and admit a call over the new limit; with one word the admission and the shrink are
 * ordered by their compare-and-sets. A release lowers the count and moves the limit in the same
 * compare-and-set, so AIMD's "half the limit in use" is judged on the count the call itself saw.
 *
 * <p><b>AIMD's drop rule.</b> A burst of drops usually comes from calls all admitted under the same
 * too-large limit; backing off once per drop would collapse the limit to its minimum in one burst.
 * So a drop decreases only if its call was admitted at or after the latest decrease (its start is
 * {@code now - rttNanos}); the decrease that wins a compare-and-set on that instant is the only
 * one. That is one decrease per generation of calls, about one per round trip under load, as TCP
 * does.
 *
 * <p><b>Round-trip times</b> are sampled from successes only (a fast 503 would pass for a fast
 * downstream), one success in {@value #SAMPLE_ONE_IN} (the first included), picked by a plain, racy
 * count rather than a compare-and-set: the averages' upkeep (a compare-and-set on a flag and two
 * volatile writes) was most of what a release cost beyond the bulkhead's, and a quarter of the
 * samples steers the simulated downstream as well as all of them; one in 8 lets the 99th percentile
 * pass twice the unloaded latency while the capacity halves. At most one thread samples at a time:
 * a release that finds another thread sampling drops its sample rather than wait. The short-term
 * average is an exponential moving average with weight {@code 2 / (shortWindow + 1)}, the long-term
 * one with {@code 2 / (longWindow + 1)}, and the long-term one never stays above the short-term
 * one: when the downstream gets faster the baseline follows at once (otherwise the ratio would read
 * as headroom that is not there).
 *
 * <p><b>GRADIENT</b>, every {@code max(shortWindow, limit / SAMPLE_ONE_IN)} samples (about once a
 * round trip under load, so that a step sees what the step before did: stepping ten times a round
 * trip made the limit swing ±30 % around the capacity), with {@code e} the limit as a real number:
 *
 * <pre>
 *   queueing = shortRtt > tolerance * longRtt
 *   target   = e * max(0.5, longRtt / shortRtt)   if queueing
 *   target   = e + sqrt(e)   if not, and at least half the limit in flight (the queue allowance:
 *                            room to find more capacity)
 *   target   = e             otherwise (the downstream was never asked for more)
 *   e        = e * (1 - smoothing) + target * smoothing, within [minLimit, maxLimit]
 *   limit    = floor(e)
 * </pre>
 *
 * While calls queue the limit heads for the concurrency the downstream serves without a queue, and
 * no allowance is added: an allowance added while queueing keeps a standing queue, the long-term
 * average creeps up to it and the limit ratchets up with it (a downstream that queued 5 times its
 * capacity ended at twice its capacity). Aiming at no queue lets the limit dip to the capacity once
 * a cycle, the short-term time falls back to the unloaded one and the long-term one, never above
 * the short-term one, is reset to it. The floor of 0.5 stops one slow sample from more than
 * halving. A counted drop backs off as in AIMD, since a downstream that sheds answers fast and its
 * latency says nothing.
 *
 * <p><b>AIMD reads no latency.</b> It learns by loss only: in front of a downstream that queues
 * deeply before it sheds or times out, it grows to {@code maxLimit} and the calls queue there; the
 * gradient is for that downstream.
 *
 * <p><b>The last change</b> is kept in plain fields behind a sequence number, so that recording a
 * move (every AIMD success may be one) allocates nothing; {@link #lastChange()} builds the record
 * when asked. A writer that finds another writing skips its record.
 */
final class LockFreeAdaptiveLimit implements AdaptiveLimit {

  private static final VarHandle STATE;
  private static final VarHandle LAST_DECREASE;
  private static final VarHandle SAMPLING;
  private static final VarHandle CHANGE_SEQ;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(LockFreeAdaptiveLimit.class, "state", long.class);
      LAST_DECREASE =
          lookup.findVarHandle(LockFreeAdaptiveLimit.class, "lastDecreaseAt", long.class);
      SAMPLING = lookup.findVarHandle(LockFreeAdaptiveLimit.class, "sampling", int.class);
      CHANGE_SEQ = lookup.findVarHandle(LockFreeAdaptiveLimit.class, "changeSeq", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Samples one release's round-trip time in this many (a power of two): the rest skip the
   * averages' upkeep.
   */
  static final int SAMPLE_ONE_IN = 4;

  private static final int INITIAL = 0;
  private static final int DROP = 1;
  private static final int GREW = 2;
  private static final int GRADIENT = 3;

  private final String name;
  private final AdaptiveLimitConfig config;
  private final Ticker ticker;
  private final boolean gradient;
  private final double shortWeight;
  private final double longWeight;

  /** The limit (high 32 bits) and the calls in flight (low 32 bits). */
  @SuppressWarnings("unused") // through STATE
  private volatile long state;

  /** When the latest decrease happened; a drop of a call admitted before it does not decrease. */
  @SuppressWarnings("unused") // through LAST_DECREASE
  private volatile long lastDecreaseAt;

  /** 1 while a thread samples round-trip times; the fields below are its alone then. */
  @SuppressWarnings("unused") // through SAMPLING
  private volatile int sampling;

  private volatile double shortRtt;
  private volatile double longRtt;
  private double estimate;
  private int sinceUpdate;
  private int releases = -1; // so that the first release samples: the gauges read a time at once

  /** Even when the change fields are stable, odd while one is written. */
  @SuppressWarnings("unused") // through CHANGE_SEQ
  private volatile long changeSeq;

  private int changeOld;
  private int changeNew;
  private int changeKind;
  private long changeAt;
  private long changeDetail;
  private String changeCode = "";

  LockFreeAdaptiveLimit(String name, AdaptiveLimitConfig config, Ticker ticker) {
    this.name = name;
    this.config = config;
    this.ticker = ticker;
    this.gradient = config.algorithm() == AdaptiveLimitConfig.Algorithm.GRADIENT;
    this.shortWeight = 2.0 / (config.shortWindow() + 1);
    this.longWeight = 2.0 / (config.longWindow() + 1);
    this.estimate = config.initialLimit();
    long now = ticker.read();
    this.lastDecreaseAt = now;
    this.changeOld = config.initialLimit();
    this.changeNew = config.initialLimit();
    this.changeKind = INITIAL;
    this.changeAt = now;
    this.state = pack(config.initialLimit(), 0);
  }

  private static long pack(int limit, int inFlight) {
    return ((long) limit << 32) | (inFlight & 0xFFFF_FFFFL);
  }

  private static int limitOf(long state) {
    return (int) (state >>> 32);
  }

  private static int inFlightOf(long state) {
    return (int) state;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public AdaptiveLimitConfig config() {
    return config;
  }

  @Override
  public boolean tryAcquire() {
    return tryAcquire(0);
  }

  @Override
  public boolean tryAcquire(int keepFree) {
    if (keepFree < 0) {
      throw new IllegalArgumentException("keepFree must be at least 0, not " + keepFree);
    }
    for (; ; ) {
      long s = (long) STATE.getVolatile(this);
      if ((long) inFlightOf(s) + keepFree >= limitOf(s)) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s + 1)) {
        return true;
      }
    }
  }

  @Override
  public void onSuccess(long rttNanos) {
    long s;
    int grownFrom;
    int inUse;
    for (; ; ) {
      s = (long) STATE.getVolatile(this);
      inUse = checkTaken(s);
      int limit = limitOf(s);
      // AIMD grows while the limit is what holds calls back: half of it in use, this call included
      boolean grow = !gradient && limit < config.maxLimit() && 2L * inUse >= limit;
      long next = grow ? pack(limit + 1, inUse - 1) : s - 1;
      if (STATE.compareAndSet(this, s, next)) {
        grownFrom = grow ? limit : -1;
        break;
      }
    }
    if (grownFrom >= 0) {
      record(grownFrom, grownFrom + 1, GREW, null, inUse);
    }
    sample(Math.max(0, rttNanos), inUse);
  }

  @Override
  public void onDropped(long rttNanos, String code) {
    long now = ticker.read();
    long admittedAt = now - Math.max(0, rttNanos);
    boolean decrease = false;
    for (; ; ) {
      long last = (long) LAST_DECREASE.getVolatile(this);
      if (admittedAt - last < 0) {
        break; // admitted under a limit a decrease already corrected
      }
      if (LAST_DECREASE.compareAndSet(this, last, now)) {
        decrease = true;
        break;
      }
    }
    for (; ; ) {
      long s = (long) STATE.getVolatile(this);
      int inUse = checkTaken(s);
      int limit = limitOf(s);
      int lowered =
          decrease ? Math.max(config.minLimit(), (int) (limit * config.backoffRatio())) : limit;
      if (STATE.compareAndSet(this, s, pack(lowered, inUse - 1))) {
        if (lowered != limit) {
          record(limit, lowered, DROP, code, 0);
        }
        return;
      }
    }
  }

  @Override
  public void onIgnored() {
    for (; ; ) {
      long s = (long) STATE.getVolatile(this);
      checkTaken(s);
      if (STATE.compareAndSet(this, s, s - 1)) {
        return;
      }
    }
  }

  /** Returns the calls in flight in {@code s}, or throws when none is: a second release. */
  private int checkTaken(long s) {
    int inUse = inFlightOf(s);
    if (inUse <= 0) {
      throw new IllegalStateException(
          "Adaptive limit '" + name + "' has no slot taken: report each call exactly once");
    }
    return inUse;
  }

  /**
   * Feeds one round-trip time in {@value #SAMPLE_ONE_IN} to the averages, unless another thread is
   * feeding one.
   */
  private void sample(long rttNanos, int inUse) {
    // racy on purpose: a lost increment only moves which release samples, and a plain field costs
    // no compare-and-set on the path every release takes
    int release = releases + 1;
    releases = release;
    if ((release & (SAMPLE_ONE_IN - 1)) != 0 || !SAMPLING.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      double rtt = rttNanos;
      double shortAvg = shortRtt;
      double longAvg = longRtt;
      if (shortAvg == 0) {
        shortAvg = rtt;
        longAvg = rtt;
      } else {
        shortAvg += (rtt - shortAvg) * shortWeight;
        longAvg = Math.min(shortAvg, longAvg + (rtt - longAvg) * longWeight);
      }
      shortRtt = shortAvg;
      longRtt = longAvg;
      // about once a round trip: a step sees the effect of the one before
      if (gradient
          && ++sinceUpdate
              >= Math.max(
                  config.shortWindow(), limitOf((long) STATE.getVolatile(this)) / SAMPLE_ONE_IN)) {
        sinceUpdate = 0;
        updateGradient(shortAvg, longAvg, inUse);
      }
    } finally {
      SAMPLING.setVolatile(this, 0);
    }
  }

  /** One gradient step; the caller holds the sampling flag, which guards {@code estimate}. */
  private void updateGradient(double shortAvg, double longAvg, int inUse) {
    boolean queueing = shortAvg > config.tolerance() * longAvg;
    double g = queueing ? Math.max(0.5, longAvg / shortAvg) : 1.0;
    for (; ; ) {
      long s = (long) STATE.getVolatile(this);
      int limit = limitOf(s);
      double e = Math.min(estimate, limit + 0.999_999); // a drop may have lowered the limit
      double target;
      if (queueing) {
        target = e * g; // to the concurrency served without a queue, none kept as allowance
      } else if (2L * inUse >= limit) {
        target = e + Math.sqrt(e); // the queue allowance: room to notice a faster downstream
      } else {
        target = e; // the downstream was never asked for more: no evidence it copes with more
      }
      double next = e * (1 - config.smoothing()) + target * config.smoothing();
      next = Math.max(config.minLimit(), Math.min(config.maxLimit(), next));
      int nextLimit = (int) next;
      if (nextLimit == limit) {
        estimate = next;
        return;
      }
      if (STATE.compareAndSet(this, s, pack(nextLimit, inFlightOf(s)))) {
        estimate = next;
        record(limit, nextLimit, GRADIENT, null, Double.doubleToRawLongBits(g));
        return;
      }
    }
  }

  /** Records a move without allocating; skipped if another thread is recording one. */
  private void record(int from, int to, int kind, @Nullable String code, long detail) {
    long seq = (long) CHANGE_SEQ.getVolatile(this);
    if ((seq & 1) != 0 || !CHANGE_SEQ.compareAndSet(this, seq, seq + 1)) {
      return;
    }
    changeOld = from;
    changeNew = to;
    changeKind = kind;
    changeAt = ticker.read();
    changeDetail = detail;
    if (code != null) {
      changeCode = code;
    }
    CHANGE_SEQ.setVolatile(this, seq + 2);
  }

  @Override
  public Change lastChange() {
    for (; ; ) {
      long seq = (long) CHANGE_SEQ.getVolatile(this);
      if ((seq & 1) == 0) {
        int from = changeOld;
        int to = changeNew;
        int kind = changeKind;
        long at = changeAt;
        long detail = changeDetail;
        String code = changeCode;
        VarHandle.loadLoadFence();
        if ((long) CHANGE_SEQ.getVolatile(this) == seq) {
          return new Change(from, to, reason(kind, code, detail, from), at);
        }
      }
      Thread.onSpinWait();
    }
  }

  private static String reason(int kind, String code, long detail, int from) {
    return switch (kind) {
      case DROP -> "drop: " + code;
      case GREW -> "grew: in use " + detail + " of " + from;
      case GRADIENT -> String.format(Locale.ROOT, "gradient %.2f", Double.longBitsToDouble(detail));
      default -> "initial";
    };
  }

  @Override
  public int limit() {
    return limitOf((long) STATE.getVolatile(this));
  }

  @Override
  public int inFlight() {
    return inFlightOf((long) STATE.getVolatile(this));
  }

  @Override
  public long shortRttNanos() {
    return (long) shortRtt;
  }

  @Override
  public long longRttNanos() {
    return (long) longRtt;
  }

  @Override
  public String toString() {
    long s = (long) STATE.getVolatile(this);
    return "AdaptiveLimit{"
        + name
        + ", "
        + config.algorithm()
        + ", "
        + inFlightOf(s)
        + '/'
        + limitOf(s)
        + " in flight}";
  }
}
