package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Calls and weighted failures over the last {@code window}, kept in a ring of {@link #SLICES} time
 * slices so that memory is bounded whatever the call rate.
 *
 * <p>Resolution: the window is cut into 20 slices of {@code window / 20} (3s for a 60s window). A
 * total covers the current slice and the 19 before it, so an event counts for at least {@code
 * window - window / 20} and never for {@code window} or longer: failures older than the window
 * never count.
 *
 * <p>Concurrency: a slice's epoch is final, and a slot moves to a newer epoch by replacing its slice
 * with a compare-and-set, so a count can never land in a slice of the wrong epoch. Counters inside a
 * slice are atomic adds. A thread that read the time, then stalled for a whole window, finds its
 * slice gone and drops its event, which is outside the window anyway. Recording allocates only when
 * a slot moves to a new epoch: once per slice length, not per call.
 */
final class SlidingWindow {

  static final int SLICES = 20;

  private final AtomicReferenceArray<@Nullable Slice> ring = new AtomicReferenceArray<>(SLICES);
  private final long origin;
  private final long sliceNanos;
  private final FailureCodes codes;

  SlidingWindow(long origin, long windowNanos, FailureCodes codes) {
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

  void recordFailure(long now, String code, long weightUnits) {
    Slice slice = slice(now);
    if (slice != null) {
      slice.addFailure(codes.indexOf(code), weightUnits);
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
    long[] perCode = new long[FailureCodes.CAPACITY];
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

  private boolean live(Slice slice, long currentEpoch) {
    return slice.epoch <= currentEpoch && slice.epoch > currentEpoch - SLICES;
  }

  private long epoch(long now) {
    return Math.floorDiv(now - origin, sliceNanos);
  }

  private @Nullable Slice slice(long now) {
    long epoch = epoch(now);
    if (epoch < 0) {
      return null; // read before this window existed (it was reset meanwhile)
    }
    int slot = (int) (epoch % SLICES);
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
        return fresh;
      }
    }
  }

  /** The counts of one time slice. The per-code array is created on the slice's first failure. */
  static final class Slice {

    private static final VarHandle CALLS;
    private static final VarHandle FAILURES;
    private static final VarHandle WEIGHT;
    private static final VarHandle BY_CODE;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        CALLS = lookup.findVarHandle(Slice.class, "calls", long.class);
        FAILURES = lookup.findVarHandle(Slice.class, "failures", long.class);
        WEIGHT = lookup.findVarHandle(Slice.class, "weight", long.class);
        BY_CODE = lookup.findVarHandle(Slice.class, "byCode", AtomicIntegerArray.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long epoch;
    private volatile long calls;
    private volatile long failures;
    private volatile long weight;
    private volatile @Nullable AtomicIntegerArray byCode;

    Slice(long epoch) {
      this.epoch = epoch;
    }

    void addCall() {
      CALLS.getAndAdd(this, 1L);
    }

    void addFailure(int codeIndex, long weightUnits) {
      AtomicIntegerArray counts = byCode;
      if (counts == null) {
        BY_CODE.compareAndSet(this, null, new AtomicIntegerArray(FailureCodes.CAPACITY));
        counts = byCode;
      }
      counts.incrementAndGet(codeIndex);
      WEIGHT.getAndAdd(this, weightUnits);
      FAILURES.getAndAdd(this, 1L);
      CALLS.getAndAdd(this, 1L);
    }

    long calls() {
      return calls;
    }

    long failures() {
      return failures;
    }

    long weight() {
      return weight;
    }

    void addCodeCountsTo(long[] perCode) {
      AtomicIntegerArray counts = byCode;
      if (counts != null) {
        for (int i = 0; i < perCode.length; i++) {
          perCode[i] += counts.get(i);
        }
      }
    }
  }
}
