package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AdaptiveLimit}: the limit and the calls in flight packed in one {@code long}, the
 * limit in the high 32 bits, the count in the low 24 and a wrapping count of successes in the 8
 * between, updated by compare-and-set. One word, because the rule "admit only while in flight is
 * below the limit" must read both at the same instant: with two fields a shrink could land between
 * the read of the limit and the increment of the count and admit a call over the new limit; with
 * one word the admission and the shrink are ordered by their compare-and-sets. A release lowers the
 * count and moves the limit in the same compare-and-set, so AIMD's "half the limit in use" is
 * judged on the count the call itself saw.
 *
 * <p><b>AIMD's drop rule.</b> A burst of drops usually comes from calls all admitted under the same
 * too-large limit; backing off once per drop would collapse the limit to its minimum in one burst.
 * So a drop decreases only if its call was admitted at or after the latest decrease (its start is
 * {@code now - rttNanos}); the decrease that wins a compare-and-set on that instant is the only
 * one. That is one decrease per generation of calls, about one per round trip under load, as TCP
 * does.
 *
 * <p><b>Round-trip times</b> are sampled from successes only (a fast 503 would pass for a fast
 * downstream), one success in {@value #SAMPLE_ONE_IN} (the first included), picked by the count of
 * successes that each success's own compare-and-set of the state bumps, so the choice costs no
 * write of its own: the averages' upkeep (a compare-and-set on a flag and the writes) was all that
 * a release cost beyond the bulkhead's (with two threads, a release that skipped it cost less than
 * the bulkhead's; one that counted in a field of its own cost twice as much), and a quarter of the
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
  private static final VarHandle SHORT_RTT;
  private static final VarHandle LONG_RTT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(LockFreeAdaptiveLimit.class, "state", long.class);
      LAST_DECREASE =
          lookup.findVarHandle(LockFreeAdaptiveLimit.class, "lastDecreaseAt", long.class);
      SAMPLING = lookup.findVarHandle(Averages.class, "sampling", int.class);
      SHORT_RTT = lookup.findVarHandle(Averages.class, "shortRtt", double.class);
      LONG_RTT = lookup.findVarHandle(Averages.class, "longRtt", double.class);
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

  /**
   * The limit (high 32 bits), the successes counted to pick those that sample (8 bits, wrapping)
   * and the calls in flight (low 24 bits).
   */
  @SuppressWarnings("unused") // through STATE
  private volatile long state;

  /** When the latest decrease happened; a drop of a call admitted before it does not decrease. */
  @SuppressWarnings("unused") // through LAST_DECREASE
  private volatile long lastDecreaseAt;

  /** The round-trip averages and the gradient's estimate, apart from the state's cache line. */
  private final Averages averages;

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
    this.averages = new Averages(config.initialLimit());
    long now = ticker.read();
    this.lastDecreaseAt = now;
    this.changeOld = config.initialLimit();
    this.changeNew = config.initialLimit();
    this.changeKind = INITIAL;
    this.changeAt = now;
    this.state = withLimit(0, config.initialLimit()); // none in flight, no success counted
  }

  /** The bits of the state that count the calls in flight. */
  private static final long IN_FLIGHT = 0xFF_FFFFL;

  /** The bits of the state that count successes, wrapping, to pick those that sample. */
  private static final long SUCCESSES = 0xFF00_0000L;

  private static final long ONE_SUCCESS = 1L << 24;

  /** {@code s} with another limit: the calls in flight and the success count kept. */
  private static long withLimit(long s, int limit) {
    return ((long) limit << 32) | (s & 0xFFFF_FFFFL);
  }

  /** {@code s} with one success more counted, wrapping within its bits. */
  private static long countSuccess(long s) {
    return (s & ~SUCCESSES) | ((s + ONE_SUCCESS) & SUCCESSES);
  }

  /**
   * Whether the success that made {@code s} samples: one in {@value #SAMPLE_ONE_IN}, the first
   * included.
   */
  private static boolean samples(long s) {
    return ((s & SUCCESSES) >>> 24) % SAMPLE_ONE_IN == 1;
  }

  private static int limitOf(long state) {
    return (int) (state >>> 32);
  }

  private static int inFlightOf(long state) {
    return (int) (state & IN_FLIGHT);
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
      long next = countSuccess(grow ? withLimit(s - 1, limit + 1) : s - 1);
      if (STATE.compareAndSet(this, s, next)) {
        grownFrom = grow ? limit : -1;
        s = next;
        break;
      }
    }
    if (grownFrom >= 0) {
      record(grownFrom, grownFrom + 1, GREW, null, inUse);
    }
    if (samples(s)) {
      sample(Math.max(0, rttNanos), inUse);
    }
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
      if (STATE.compareAndSet(this, s, withLimit(s - 1, lowered))) {
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

  /** Feeds a sampled round-trip time to the averages, unless another thread is feeding one. */
  private void sample(long rttNanos, int inUse) {
    if (!SAMPLING.compareAndSet(averages, 0, 1)) {
      return;
    }
    try {
      double rtt = rttNanos;
      double shortAvg = averages.shortRtt;
      double longAvg = averages.longRtt;
      if (shortAvg == 0) {
        shortAvg = rtt;
        longAvg = rtt;
      } else {
        shortAvg += (rtt - shortAvg) * shortWeight;
        longAvg = Math.min(shortAvg, longAvg + (rtt - longAvg) * longWeight);
      }
      SHORT_RTT.setOpaque(averages, shortAvg);
      LONG_RTT.setOpaque(averages, longAvg);
      // about once a round trip: a step sees the effect of the one before
      if (gradient
          && ++averages.sinceUpdate
              >= Math.max(
                  config.shortWindow(), limitOf((long) STATE.getVolatile(this)) / SAMPLE_ONE_IN)) {
        averages.sinceUpdate = 0;
        updateGradient(shortAvg, longAvg, inUse);
      }
    } finally {
      SAMPLING.setRelease(
          averages, 0); // publishes the averages and the estimate to the next sampler
    }
  }

  /** One gradient step; the caller holds the sampling flag, which guards {@code estimate}. */
  private void updateGradient(double shortAvg, double longAvg, int inUse) {
    boolean queueing = shortAvg > config.tolerance() * longAvg;
    double g = queueing ? Math.max(0.5, longAvg / shortAvg) : 1.0;
    for (; ; ) {
      long s = (long) STATE.getVolatile(this);
      int limit = limitOf(s);
      double e =
          Math.min(averages.estimate, limit + 0.999_999); // a drop may have lowered the limit
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
        averages.estimate = next;
        return;
      }
      if (STATE.compareAndSet(this, s, withLimit(s, nextLimit))) {
        averages.estimate = next;
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
    return (long) (double) SHORT_RTT.getOpaque(averages);
  }

  @Override
  public long longRttNanos() {
    return (long) (double) LONG_RTT.getOpaque(averages);
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

  /**
   * What the sampling thread keeps, in an object of its own: a sampled release writes here, not on
   * the cache line of the state every acquire and release compares-and-sets (with the fields in
   * this class the flag and the averages shared that line, and two threads passed it back and forth
   * for every sample).
   */
  private static final class Averages {

    /** 1 while a thread samples round-trip times; the fields below are its alone then. */
    @SuppressWarnings("unused") // through SAMPLING
    private volatile int sampling;

    /**
     * The averages: written by the thread holding the sampling flag, whose release publishes them
     * to the next; read by others (the gauges) opaquely, which sees them whole and soon, without
     * the fence a volatile write would cost the release that samples.
     */
    double shortRtt;

    double longRtt;

    /** The gradient's limit as a real number. */
    double estimate;

    int sinceUpdate;

    Averages(double estimate) {
      this.estimate = estimate;
    }
  }
}
