package dev.resilience.benchmarks;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.sim.IssueScenario;
import dev.resilience.core.sim.SimLimiter;
import dev.resilience.core.sim.Simulation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Our adaptive limits and Netflix concurrency-limits' ({@code SimpleLimiter} with its {@code
 * AIMDLimit}, {@code Gradient2Limit} and {@code VegasLimit}) driven through the very same simulated
 * downstream and load ({@link IssueScenario}, the one the core's proof runs), each on the
 * simulation's clock, each starting at 20 with at most 200 allowed (and at least 1 where the
 * builder takes a minimum), AIMD backing off by 0.9 on both sides, everything else each builder's
 * default. Run twice: against the issue's downstream, which queues up to 5 C before it sheds
 * (latency shows the overload), and against one that sheds at 1.1 C (only loss shows it).
 * Deterministic: the same numbers every run. Prints each limiter's phases and a summary per
 * downstream.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.resilience.benchmarks.AdaptiveComparison}
 */
public final class AdaptiveComparison {

  private AdaptiveComparison() {}

  public static void main(String[] args) {
    AdaptiveLimitConfig ours = AdaptiveLimitConfig.defaults();
    Sanity.check(
        ours.initialLimit() == 20 && ours.minLimit() == 1 && ours.maxLimit() == 200,
        "our defaults are the settings the peers are given");
    compare(
        "the issue's downstream: queues up to 5 C, caller times out at 1 s",
        IssueScenario::downstream,
        ours);
    compare(
        "a shedding downstream: answers 503 beyond 1.1 C, caller times out at 200 ms",
        IssueScenario::sheddingDownstream,
        ours);
  }

  private static void compare(
      String title, Supplier<Simulation> downstream, AdaptiveLimitConfig ours) {
    System.out.println("=== " + title + " ===");
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(
            Locale.ROOT,
            "%-24s %9s %9s %6s %9s %8s %7s %9s%n",
            "limiter",
            "converged",
            "goodput/s",
            "p99 2x",
            "p99 worst",
            "rejected",
            "failed",
            "recovered"));
    run("ours, AIMD (default)", downstream, sim -> ours(sim, ours), summary);
    run(
        "ours, GRADIENT",
        downstream,
        sim -> ours(sim, ours.withAlgorithm(AdaptiveLimitConfig.Algorithm.GRADIENT)),
        summary);
    run(
        "Netflix AIMDLimit",
        downstream,
        sim ->
            netflix(
                sim,
                AIMDLimit.newBuilder()
                    .initialLimit(20)
                    .minLimit(1)
                    .maxLimit(200)
                    .backoffRatio(0.9)
                    .build()),
        summary);
    run(
        "Netflix Gradient2Limit",
        downstream,
        sim ->
            netflix(
                sim,
                Gradient2Limit.newBuilder()
                    .initialLimit(20)
                    .minLimit(1)
                    .maxConcurrency(200)
                    .build()),
        summary);
    run(
        "Netflix VegasLimit",
        downstream,
        sim -> netflix(sim, VegasLimit.newBuilder().initialLimit(20).maxConcurrency(200).build()),
        summary);
    System.out.println("Summary, " + title);
    System.out.println(
        "over the overloaded phases (ramp, overload, capacity halves, capacity back): goodput,"
            + " p99 in ms in the steady overload at 2x and in the worst phase, rejected = share of arrivals the limiter turned away,"
            + " failed = share of admitted calls shed or timed out; converged: seconds from the"
            + " ramp's start until the limit stays within ±20 % of C; recovered: seconds after the"
            + " capacity came back until it stays within ±20 % again");
    System.out.println(summary);
  }

  private static void run(
      String name,
      Supplier<Simulation> downstream,
      Function<Simulation, SimLimiter> limiter,
      StringBuilder summary) {
    Simulation sim = downstream.get();
    List<Simulation.PhaseStats> phases = sim.run(limiter.apply(sim), IssueScenario.PHASES);
    System.out.println(Simulation.table(name, phases));
    long succeeded = 0;
    long arrivals = 0;
    long admitted = 0;
    long failed = 0;
    double seconds = 0;
    double p99 = 0;
    for (int i : new int[] {1, 2, 4, 5}) {
      Simulation.PhaseStats phase = phases.get(i);
      succeeded += phase.succeeded;
      arrivals += phase.arrivals;
      admitted += phase.arrivals - phase.rejected;
      failed += phase.shed + phase.timedOut;
      seconds += phase.phase.duration().toNanos() / 1e9;
      p99 = Math.max(p99, phase.p99Millis());
    }
    summary.append(
        String.format(
            Locale.ROOT,
            "%-24s %9s %9.0f %6.0f %9.0f %7.1f%% %6.1f%% %9s%n",
            name,
            seconds(phases.get(1).settledSeconds(0.2), phases.get(2).settledSeconds(0.2)),
            succeeded / seconds,
            phases.get(2).p99Millis(),
            p99,
            100.0 * (arrivals - admitted) / Math.max(1, arrivals),
            100.0 * failed / Math.max(1, admitted),
            seconds(phases.get(5).settledSeconds(0.2), -1)));
  }

  /** The settling time in the phase, or in the next one (after the phase's 10 s), or never. */
  private static String seconds(double inPhase, double inNext) {
    if (inPhase >= 0) {
      return String.format(Locale.ROOT, "%.1f s", inPhase);
    }
    return inNext >= 0 ? String.format(Locale.ROOT, "%.1f s", 10 + inNext) : "never";
  }

  private static SimLimiter ours(Simulation sim, AdaptiveLimitConfig config) {
    return SimLimiter.of(AdaptiveLimit.of("sim", config, sim.clock()));
  }

  /** Netflix's limiter times each call itself, on the simulation's clock. */
  private static SimLimiter netflix(Simulation sim, Limit limit) {
    SimpleLimiter<Void> limiter =
        SimpleLimiter.newBuilder().limit(limit).nanoClock(sim.clock()::read).build();
    return new SimLimiter() {
      @Override
      public @Nullable Slot tryAcquire() {
        Optional<Limiter.Listener> listener = limiter.acquire(null);
        if (listener.isEmpty()) {
          return null;
        }
        Limiter.Listener taken = listener.get();
        return new Slot() {
          @Override
          public void succeeded(long rttNanos) {
            taken.onSuccess();
          }

          @Override
          public void dropped(long rttNanos, String code) {
            taken.onDropped();
          }
        };
      }

      @Override
      public int limit() {
        return limiter.getLimit();
      }
    };
  }
}
