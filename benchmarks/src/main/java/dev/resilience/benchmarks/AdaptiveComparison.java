package dev.resilience.benchmarks;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
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
import org.jspecify.annotations.Nullable;

/**
 * Our adaptive limits and Netflix concurrency-limits' ({@code SimpleLimiter} with its {@code
 * AIMDLimit} and {@code Gradient2Limit}) driven through the very same simulated downstream and load
 * ({@link IssueScenario}, the one the core's proof runs), each on the simulation's clock, each
 * starting at 20 with 1 to 200 allowed, AIMD backing off by 0.9 on both sides. Deterministic: the
 * same numbers every run. Prints each limiter's phases and a summary.
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
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(
            Locale.ROOT,
            "%-28s %10s %12s %9s %10s %10s%n",
            "limiter",
            "converged",
            "goodput/s",
            "p99 ms",
            "failed",
            "recovered"));
    run("ours, AIMD (default)", sim -> ours(sim, ours), summary);
    run(
        "ours, GRADIENT",
        sim -> ours(sim, ours.withAlgorithm(AdaptiveLimitConfig.Algorithm.GRADIENT)),
        summary);
    run(
        "Netflix AIMDLimit",
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
        sim ->
            netflix(
                sim,
                Gradient2Limit.newBuilder()
                    .initialLimit(20)
                    .minLimit(1)
                    .maxConcurrency(200)
                    .build()),
        summary);
    System.out.println("Summary (overloaded phases: ramp, overload, capacity halves, back)");
    System.out.println(
        "converged: seconds from the ramp's start until the limit stays within ±20 % of C;"
            + " recovered: seconds after the capacity came back until it stays within ±20 % again");
    System.out.print(summary);
  }

  private static void run(
      String name, Function<Simulation, SimLimiter> limiter, StringBuilder summary) {
    Simulation sim = IssueScenario.downstream();
    List<Simulation.PhaseStats> phases = sim.run(limiter.apply(sim), IssueScenario.PHASES);
    System.out.println(Simulation.table(name, phases));
    long succeeded = 0;
    long admitted = 0;
    long failed = 0;
    double seconds = 0;
    double p99 = 0;
    for (int i : new int[] {1, 2, 4, 5}) {
      Simulation.PhaseStats phase = phases.get(i);
      succeeded += phase.succeeded;
      admitted += phase.arrivals - phase.rejected;
      failed += phase.shed + phase.timedOut;
      seconds += phase.phase.duration().toNanos() / 1e9;
      p99 = Math.max(p99, phase.p99Millis());
    }
    summary.append(
        String.format(
            Locale.ROOT,
            "%-28s %10s %12.0f %9.1f %9.1f%% %10s%n",
            name,
            seconds(phases.get(1).settledSeconds(0.2), phases.get(2).settledSeconds(0.2)),
            succeeded / seconds,
            p99,
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
