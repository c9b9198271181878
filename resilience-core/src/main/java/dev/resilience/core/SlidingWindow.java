package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Calls and weighted failures over the last {@code window}, kept in a ring of {@link #SLICES} time
 * slices so that memory is bounded whatever the call rate.
 *
 * <p>Resolution: the window is cut into 16 slices of {@code window / 16} (3.75 s for a 60 s
 * window). A total covers the current slice and the 15 before it, so an event counts for at least
 * {@code window - window / 16} and never for {@code window} or longer: failures older than the
 * window never count.
 *
 * <p>Concurrency: a slice's epoch is final, and a slot moves to a newer epoch by replacing its
 * slice with a compare-and-set, so a count can never land in a slice of the wrong epoch. Counters
 * inside a slice are atomic adds. A thread that read the time, then stalled for a whole window,
 * finds its slice gone and drops its event, which is outside the window anyway. Recording allocates
 * only when a slot moves to a new epoch (once per slice length, not per call), and a slice's
 * per-code counts on its first failure.
 *
 * <p>The newest slice is remembered, so that recording in it, the common case, costs two compares
 * instead of a division.
 */
final class SlidingWindow {

  static final int SLICES = 16;

  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(SlidingWindow.class, "head", Slice.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AtomicReferenceArray<@Nullable Slice> ring = new AtomicReferenceArray<>(SLICES);
  private final long origin;
  private final long sliceNanos;
  private final FailureCodeTable codes;
  private volatile @Nullable Slice head;

  SlidingWindow(long origin, long windowNanos, FailureCodeTable codes) {
    this.origin = origin;
    this.sliceNanos = Math.max(1, windowNanos / SLICES);
    this.codes = codes;
  }

  void recordSuccess(long now) {
    Slice slice = slice(now);
    if (slice != null) {
      slice.addCall();
    }
  }

  /** Records a failure whose code has {@code codeIndex} in this window's code table. */
  void recordFailure(long now, int codeIndex, long weightUnits) {
    Slice slice = slice(now);
    if (slice != null) {
      slice.addFailure(codeIndex, weightUnits);
    }
  }

  /**
   * Returns whether the window has reached a threshold: {@code weightUnits} of weighted failures,
   * or, when {@code ratePercent > 0}, that failure percentage over at least {@code minimumCalls}.
   */
  boolean reached(long now, long thresholdUnits, double ratePercent, int minimumCalls) {
    long epoch = epoch(now);
    long calls = 0;
    long failures = 0;
    long weight = 0;
    for (int i = 0; i < SLICES; i++) {
      Slice slice = ring.get(i);
      if (slice != null && live(slice, epoch)) {
        calls += slice.calls();
        failures += slice.failures();
        weight += slice.weight();
      }
    }
    if (weight >= thresholdUnits) {
      return true;
    }
    return ratePercent > 0 && calls >= minimumCalls && failures * 100.0 >= ratePercent * calls;
  }

  Totals totals(long now) {
    long epoch = epoch(now);
    long calls = 0;
    long weight = 0;
    long[] perCode = new long[FailureCodeTable.CAPACITY];
    for (int i = 0; i < SLICES; i++) {
      Slice slice = ring.get(i);
      if (slice != null && live(slice, epoch)) {
        calls += slice.calls();
        weight += slice.weight();
        slice.addCodeCountsTo(perCode);
      }
    }
    Map<String, Long> byCode = new TreeMap<>();
    for (int i = 0; i < perCode.length; i++) {
      if (perCode[i] > 0) {
        byCode.merge(codes.code(i), perCode[i], Long::sum);
      }
    }
    return new Totals(calls, (double) weight / CircuitBreakerConfig.WEIGHT_UNIT, byCode);
  }

  /** Calls, weighted failures and failure counts by code inside the window. */
  record Totals(long calls, double failureWeight, Map<String, Long> failuresByCode) {}

  private static boolean live(Slice slice, long currentEpoch) {
    return slice.epoch <= currentEpoch && slice.epoch > currentEpoch - SLICES;
  }

  private long epoch(long now) {
    return Math.floorDiv(now - origin, sliceNanos);
  }

  private @Nullable Slice slice(long now) {
    long sinceOrigin = now - origin;
    Slice newest = head;
    if (newest != null) {
      long offset = sinceOrigin - newest.epoch * sliceNanos;
      if (offset >= 0 && offset < sliceNanos) {
        return newest;
      }
    }
    if (sinceOrigin < 0) {
      return null; // read before this window existed (it was reset meanwhile)
    }
    long epoch = sinceOrigin / sliceNanos;
    int slot = (int) (epoch & (SLICES - 1));
    for (; ; ) {
      Slice slice = ring.get(slot);
      if (slice != null && slice.epoch == epoch) {
        return slice;
      }
      if (slice != null && slice.epoch > epoch) {
        return null; // this thread's reading is a whole window old
      }
      Slice fresh = new Slice(epoch);
      if (ring.compareAndSet(slot, slice, fresh)) {
        for (Slice seen = head; seen == null || seen.epoch < epoch; seen = head) {
          if (HEAD.compareAndSet(this, seen, fresh)) {
            break;
          }
        }
        return fresh;
      }
    }
  }

  /**
   * The counts of one time slice: 40 bytes, plus the per-code counts on its first failure. The
   * number of failures is the sum of the per-code counts.
   */
  static final class Slice {

    private static final VarHandle CALLS;
    private static final VarHandle WEIGHT;
    private static final VarHandle BY_CODE;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(int[].class);

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        CALLS = lookup.findVarHandle(Slice.class, "calls", long.class);
        WEIGHT = lookup.findVarHandle(Slice.class, "weight", long.class);
        BY_CODE = lookup.findVarHandle(Slice.class, "byCode", int[].class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long epoch;
    private volatile long calls;
    private volatile long weight;
    private volatile int @Nullable [] byCode;

    Slice(long epoch) {
      this.epoch = epoch;
    }

    void addCall() {
      CALLS.getAndAdd(this, 1L);
    }

    void addFailure(int codeIndex, long weightUnits) {
      int[] counts = byCode;
      if (counts == null) {
        BY_CODE.compareAndSet(this, null, new int[FailureCodeTable.CAPACITY]);
        counts = byCode;
      }
      COUNT.getAndAdd(counts, codeIndex, 1);
      WEIGHT.getAndAdd(this, weightUnits);
      CALLS.getAndAdd(this, 1L);
    }

    long calls() {
      return calls;
    }

    long failures() {
      int[] counts = byCode;
      long failures = 0;
      if (counts != null) {
        for (int i = 0; i < counts.length; i++) {
          failures += (int) COUNT.getVolatile(counts, i);
        }
      }
      return failures;
    }

    long weight() {
      return weight;
    }

    void addCodeCountsTo(long[] perCode) {
      int[] counts = byCode;
      if (counts != null) {
        for (int i = 0; i < counts.length; i++) {
          perCode[i] += (int) COUNT.getVolatile(counts, i);
        }
      }
    }
  }
}
