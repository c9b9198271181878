package dev.resilience.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.AdaptiveLimitConfig;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The proof of issue 15 on {@link IssueScenario}'s simulated downstream and load: the downstream
 * the issue describes, whose latency grows with its queue ({@link IssueScenario#downstream()}),
 * where the latency-based GRADIENT proves it; and one that sheds early ({@link
 * IssueScenario#sheddingDownstream()}), where the loss-based AIMD proves it.
 */
class AdaptiveLimitSimulationTest {

  static final int C = IssueScenario.C;
  static final int LATENCY_MS = IssueScenario.LATENCY_MS;
  static final double UNLOADED_MS = LATENCY_MS;
  static final AdaptiveLimitConfig GRADIENT =
      AdaptiveLimitConfig.defaults().withAlgorithm(AdaptiveLimitConfig.Algorithm.GRADIENT);

  static List<Simulation.PhaseStats> runAdaptive(
      Supplier<Simulation> downstream, AdaptiveLimitConfig config) {
    Simulation sim = downstream.get();
    AdaptiveLimit limit = AdaptiveLimit.of("sim", config, sim.clock());
    return sim.run(SimLimiter.of(limit), IssueScenario.PHASES);
  }

  static List<Simulation.PhaseStats> runFixed(Supplier<Simulation> downstream, int max) {
    return downstream.get().run(SimLimiter.fixed(max), IssueScenario.PHASES);
  }

  @Test
  void gradientConvergesNearTheCapacityOfAQueueingDownstreamKeepsP99LowAndRecovers() {
    List<Simulation.PhaseStats> gradient = runAdaptive(IssueScenario::downstream, GRADIENT);
    System.out.println(Simulation.table("GRADIENT, queueing downstream", gradient));

    assertConvergesAndRecovers(gradient);
    for (Simulation.PhaseStats phase : gradient) {
      assertThat(phase.p99Millis()).as(phase.phase.name()).isLessThanOrEqualTo(2 * UNLOADED_MS);
      assertThat(phase.shed + phase.timedOut).as(phase.phase.name()).isZero();
    }
    // in the steady overload the queue it keeps is a fifth of the unloaded latency at most (the
    // default tolerance, 1.1, lets a tenth stand rather than read a real downstream's jitter as a
    // queue)
    assertThat(gradient.get(2).p99Millis()).isLessThanOrEqualTo(1.2 * UNLOADED_MS);
    // near all the downstream serves under overload: goodput within 5 % of C / L
    assertThat(gradient.get(2).goodput()).isGreaterThan(0.95 * C * 1000 / LATENCY_MS);
  }

  @Test
  void onAQueueingDownstreamAFixedLimitTooHighQueuesAndOneTooLowWastesTheDownstream() {
    List<Simulation.PhaseStats> gradient = runAdaptive(IssueScenario::downstream, GRADIENT);
    List<Simulation.PhaseStats> high = runFixed(IssueScenario::downstream, 4 * C);
    List<Simulation.PhaseStats> low = runFixed(IssueScenario::downstream, C / 4);
    System.out.println(Simulation.table("fixed 4C = " + 4 * C + ", queueing downstream", high));
    System.out.println(Simulation.table("fixed C/4 = " + C / 4 + ", queueing downstream", low));

    for (int overloaded : new int[] {2, 4, 5}) {
      Simulation.PhaseStats adaptive = gradient.get(overloaded);
      Simulation.PhaseStats tooHigh = high.get(overloaded);
      Simulation.PhaseStats tooLow = low.get(overloaded);
      // too high: every call waits in the downstream's queue, four times the unloaded latency
      assertThat(tooHigh.p99Millis())
          .as(tooHigh.phase.name())
          .isGreaterThanOrEqualTo(4 * UNLOADED_MS)
          .isGreaterThan(2 * adaptive.p99Millis());
      // too low: a quarter of the downstream's capacity at most, whatever it could serve
      assertThat(tooLow.goodput()).as(tooLow.phase.name()).isLessThan(0.6 * adaptive.goodput());
    }
    // at half the capacity 4C is more than the queue holds: it sheds most of what it admits
    assertThat(failedShare(high.get(4))).isGreaterThan(0.4);
    assertThat(failedShare(gradient.get(4))).isZero();
  }

  @Test
  void onAQueueingDownstreamLossBasedAimdSeesNoLossAndRidesToItsMaximum() {
    List<Simulation.PhaseStats> aimd =
        runAdaptive(IssueScenario::downstream, AdaptiveLimitConfig.defaults());
    System.out.println(Simulation.table("AIMD (default), queueing downstream", aimd));

    // the queue holds 5 C: no call fails, so AIMD grows to maxLimit and the calls queue
    assertThat(aimd.get(2).secondHalfRange())
        .containsExactly(AdaptiveLimitConfig.defaults().maxLimit(), 200);
    assertThat(aimd.get(4).p99Millis()).isEqualTo(4 * UNLOADED_MS);
  }

  @Test
  void aimdConvergesNearTheCapacityOfASheddingDownstreamAndRecovers() {
    List<Simulation.PhaseStats> aimd =
        runAdaptive(IssueScenario::sheddingDownstream, AdaptiveLimitConfig.defaults());
    System.out.println(Simulation.table("AIMD (default), shedding downstream", aimd));

    assertConvergesAndRecovers(aimd);
    assertThat(aimd.get(2).settledSeconds(0.2)).isBetween(0.0, 1.0);
    for (Simulation.PhaseStats phase : aimd) {
      assertThat(phase.p99Millis()).as(phase.phase.name()).isLessThanOrEqualTo(2 * UNLOADED_MS);
    }
    assertThat(aimd.get(2).goodput()).isGreaterThan(0.9 * C * 1000 / LATENCY_MS);
  }

  @Test
  void onASheddingDownstreamAFixedLimitTooHighFailsCallsAndGradientFailsFewerThanAimd() {
    List<Simulation.PhaseStats> aimd =
        runAdaptive(IssueScenario::sheddingDownstream, AdaptiveLimitConfig.defaults());
    List<Simulation.PhaseStats> gradient = runAdaptive(IssueScenario::sheddingDownstream, GRADIENT);
    List<Simulation.PhaseStats> high = runFixed(IssueScenario::sheddingDownstream, 4 * C);
    System.out.println(Simulation.table("GRADIENT, shedding downstream", gradient));

    for (int overloaded : new int[] {2, 4, 5}) {
      // too high: the downstream sheds a large share of what the limit lets through
      assertThat(failedShare(high.get(overloaded))).isGreaterThan(0.4);
      // AIMD learns by loss: 10 to 16 % fail; the gradient reads the queue before the shedding
      assertThat(failedShare(aimd.get(overloaded))).isLessThan(0.2);
      assertThat(failedShare(gradient.get(overloaded))).isLessThan(0.05);
    }
    assertConvergesAndRecovers(gradient);
  }

  /** Within ±20 % of C in the overload, of C/2 when the capacity halves, back when it returns. */
  private static void assertConvergesAndRecovers(List<Simulation.PhaseStats> phases) {
    int[] range = phases.get(2).secondHalfRange();
    assertThat(range[0]).isGreaterThanOrEqualTo((int) (0.8 * C));
    assertThat(range[1]).isLessThanOrEqualTo((int) (1.2 * C));

    Simulation.PhaseStats halved = phases.get(4);
    int[] halvedRange = halved.secondHalfRange();
    assertThat(halvedRange[0]).isGreaterThanOrEqualTo((int) (0.8 * C / 2));
    assertThat(halvedRange[1]).isLessThanOrEqualTo((int) (1.2 * C / 2));
    assertThat(halved.settledSeconds(0.2)).isBetween(0.0, 2.0);

    // recovers within 5 s: it grows by sqrt(limit), halfway, about once a round trip
    assertThat(phases.get(5).settledSeconds(0.2)).isBetween(0.0, 5.0);
  }

  private static double failedShare(Simulation.PhaseStats phase) {
    long admitted = phase.arrivals - phase.rejected;
    return (phase.shed + phase.timedOut) / (double) admitted;
  }
}
