package dev.resilience.core.sim;

import dev.resilience.core.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * A deterministic discrete-event simulation of one caller, its concurrency limiter and a
 * downstream: no threads, no sleeps, time moves from one event to the next on {@link #clock()}.
 *
 * <p>The downstream serves {@code capacity} calls at once at {@code baseLatency}; beyond that they
 * share it (processor sharing): a call admitted while {@code n} calls run there, itself included,
 * takes {@code baseLatency * max(1, n / capacity)}. It holds at most {@code capacity * (1 +
 * queueFraction)} calls; a call beyond answers {@code 503} after {@code rejectLatency}, and a call
 * slower than {@code timeout} is abandoned by the caller at {@code timeout} as {@code timeout} (the
 * downstream still works on it until it would have ended).
 *
 * <p>Calls still in flight when the last phase ends are run to their end and counted in it; a
 * phase's calls still in flight at its end end in the next phase and count in their own.
 *
 * <p>The load is open-loop: calls arrive evenly spaced at the phase's rate, whether or not earlier
 * ones ended, as users do. A call the limiter rejects is counted and gone (no retry).
 */
public final class Simulation {

  private static final long SAMPLE_EVERY = Duration.ofMillis(100).toNanos();

  private final long baseLatency;
  private final double queueFraction;
  private final long timeout;
  private final long rejectLatency;
  private long now;

  /**
   * A downstream with the given latency, queue and caller timeout.
   *
   * @param queueFraction how many calls beyond its capacity it holds, as a fraction of capacity
   */
  public Simulation(
      Duration baseLatency, double queueFraction, Duration timeout, Duration rejectLatency) {
    this.baseLatency = baseLatency.toNanos();
    this.queueFraction = queueFraction;
    this.timeout = timeout.toNanos();
    this.rejectLatency = rejectLatency.toNanos();
  }

  /** The simulated time, for the limiter under test to read. */
  public Ticker clock() {
    return () -> now;
  }

  /** What happened in one phase, counted by the calls that arrived in it. */
  public static final class PhaseStats {
    public final Phase phase;
    public long arrivals;
    public long rejected;
    public long succeeded;
    public long shed;
    public long timedOut;
    final List<long[]> limits = new ArrayList<>(); // {time from phase start, limit}
    long[] rtts = new long[1024];
    int rttCount;

    PhaseStats(Phase phase) {
      this.phase = phase;
    }

    /** Successes per second. */
    public double goodput() {
      return succeeded / (phase.duration().toNanos() / 1e9);
    }

    /** The 99th percentile of successful calls' latency, in milliseconds. */
    public double p99Millis() {
      if (rttCount == 0) {
        return 0;
      }
      long[] sorted = Arrays.copyOf(rtts, rttCount);
      Arrays.sort(sorted);
      return sorted[(int) Math.ceil(0.99 * rttCount) - 1] / 1e6;
    }

    /** The limit at the phase's end. */
    public int endLimit() {
      return (int) limits.get(limits.size() - 1)[1];
    }

    /** The lowest and highest limit over the second half of the phase. */
    public int[] secondHalfRange() {
      long half = phase.duration().toNanos() / 2;
      int lo = Integer.MAX_VALUE;
      int hi = Integer.MIN_VALUE;
      for (long[] sample : limits) {
        if (sample[0] >= half) {
          lo = (int) Math.min(lo, sample[1]);
          hi = (int) Math.max(hi, sample[1]);
        }
      }
      return new int[] {lo, hi};
    }

    /**
     * Seconds from the phase's start until the limit stays within {@code ±tolerance} of the
     * capacity to the phase's end, or -1 if it does not.
     */
    public double settledSeconds(double tolerance) {
      double lo = phase.capacity() * (1 - tolerance);
      double hi = phase.capacity() * (1 + tolerance);
      long settled = -1;
      for (long[] sample : limits) {
        boolean in = sample[1] >= lo && sample[1] <= hi;
        if (!in) {
          settled = -1;
        } else if (settled < 0) {
          settled = sample[0];
        }
      }
      return settled < 0 ? -1 : settled / 1e9;
    }

    void rtt(long rtt) {
      if (rttCount == rtts.length) {
        rtts = Arrays.copyOf(rtts, rttCount * 2);
      }
      rtts[rttCount++] = rtt;
    }
  }

  private record Event(
      long at, int kind, long seq, PhaseStats stats, SimLimiter.Slot slot, long start)
      implements Comparable<Event> {
    static final int CLIENT_SUCCESS = 0;
    static final int CLIENT_SHED = 1;
    static final int CLIENT_TIMEOUT = 2;
    static final int SERVER_DONE = 3;

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** Runs the phases one after the other against {@code limiter}; returns each phase's stats. */
  public List<PhaseStats> run(SimLimiter limiter, List<Phase> phases) {
    PriorityQueue<Event> events = new PriorityQueue<>();
    List<PhaseStats> result = new ArrayList<>();
    long seq = 0;
    int downstream = 0;
    long phaseStart = now;
    long nextSample = now;
    for (int p = 0; p < phases.size(); p++) {
      Phase phase = phases.get(p);
      boolean last = p == phases.size() - 1;
      PhaseStats stats = new PhaseStats(phase);
      result.add(stats);
      long length = phase.duration().toNanos();
      long end = phaseStart + length;
      long arrival = phaseStart;
      int capacity = phase.capacity();
      int bound = (int) Math.floor(capacity * (1 + queueFraction));
      while (true) {
        Event next = events.peek();
        long nextAt = next == null ? Long.MAX_VALUE : next.at();
        // an end and an arrival at the same instant: the end first, so its slot is free again
        boolean arrives = arrival < end && arrival < nextAt;
        if (!arrives && nextAt >= end && !(last && next != null)) {
          break; // the next phase takes the calls still in flight, or after the last, they end
        }
        long at = arrives ? arrival : nextAt;
        while (nextSample <= at && nextSample < end) {
          stats.limits.add(new long[] {nextSample - phaseStart, limiter.limit()});
          nextSample += SAMPLE_EVERY;
        }
        now = at;
        if (arrives) {
          stats.arrivals++;
          SimLimiter.Slot slot = limiter.tryAcquire();
          if (slot == null) {
            stats.rejected++;
          } else if (downstream + 1 > bound) {
            events.add(new Event(now + rejectLatency, Event.CLIENT_SHED, seq++, stats, slot, now));
          } else {
            downstream++;
            long latency = (long) (baseLatency * Math.max(1.0, downstream / (double) capacity));
            events.add(new Event(now + latency, Event.SERVER_DONE, seq++, stats, slot, now));
            events.add(
                latency > timeout
                    ? new Event(now + timeout, Event.CLIENT_TIMEOUT, seq++, stats, slot, now)
                    : new Event(now + latency, Event.CLIENT_SUCCESS, seq++, stats, slot, now));
          }
          double rate =
              phase.fromPerSecond()
                  + (phase.toPerSecond() - phase.fromPerSecond())
                      * ((double) (now - phaseStart) / length);
          arrival = now + (long) (1e9 / rate);
        } else {
          events.poll();
          long rtt = now - next.start();
          switch (next.kind()) {
            case Event.SERVER_DONE -> downstream--;
            case Event.CLIENT_SUCCESS -> {
              next.stats().succeeded++;
              next.stats().rtt(rtt);
              next.slot().succeeded(rtt);
            }
            case Event.CLIENT_SHED -> {
              next.stats().shed++;
              next.slot().dropped(rtt, "503");
            }
            default -> {
              next.stats().timedOut++;
              next.slot().dropped(rtt, "timeout");
            }
          }
        }
      }
      while (nextSample < end) {
        stats.limits.add(new long[] {nextSample - phaseStart, limiter.limit()});
        nextSample += SAMPLE_EVERY;
      }
      now = Math.max(now, end); // past the end only after the last phase ran its calls out
      phaseStart = end;
    }
    return result;
  }

  /** A compact table of the phases, one line each, for a README. */
  public static String table(String title, List<PhaseStats> stats) {
    StringBuilder out = new StringBuilder();
    out.append(title).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "%-18s %6s %4s %5s %9s %8s %9s %8s %8s %7s%n",
            "phase",
            "load/s",
            "C",
            "limit",
            "2nd half",
            "settled",
            "goodput/s",
            "p99 ms",
            "rejected",
            "failed"));
    for (PhaseStats s : stats) {
      int[] range = s.secondHalfRange();
      double settled = s.settledSeconds(0.2);
      out.append(
          String.format(
              Locale.ROOT,
              "%-18s %6s %4d %5d %9s %8s %9.0f %8.1f %8d %7d%n",
              s.phase.name(),
              s.phase.fromPerSecond() == s.phase.toPerSecond()
                  ? String.format(Locale.ROOT, "%.0f", s.phase.fromPerSecond())
                  : String.format(
                      Locale.ROOT, "%.0f>%.0f", s.phase.fromPerSecond(), s.phase.toPerSecond()),
              s.phase.capacity(),
              s.endLimit(),
              range[0] + ".." + range[1],
              settled < 0 ? "never" : String.format(Locale.ROOT, "%.1fs", settled),
              s.goodput(),
              s.p99Millis(),
              s.rejected,
              s.shed + s.timedOut));
    }
    return out.toString();
  }
}
