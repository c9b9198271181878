package dev.resilience.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.AdaptiveLimitConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proof of issue 15 on {@link IssueScenario}'s simulated downstream and load. */
class AdaptiveLimitSimulationTest {

  static final int C = IssueScenario.C;
  static final int LATENCY_MS = IssueScenario.LATENCY_MS;
  static final double UNLOADED_MS = LATENCY_MS;

  static List<Simulation.PhaseStats> runAdaptive(AdaptiveLimitConfig config) {
    Simulation sim = IssueScenario.downstream();
    AdaptiveLimit limit = AdaptiveLimit.of("sim", config, sim.clock());
    return sim.run(SimLimiter.of(limit), IssueScenario.PHASES);
  }

  static List<Simulation.PhaseStats> runFixed(int max) {
    return IssueScenario.downstream().run(SimLimiter.fixed(max), IssueScenario.PHASES);
  }

  @Test
  void aimdConvergesNearTheCapacityKeepsP99LowAndRecoversAfterTheCapacityDrop() {
    List<Simulation.PhaseStats> aimd = runAdaptive(AdaptiveLimitConfig.defaults());
    System.out.println(Simulation.table("AIMD (default)", aimd));

    Simulation.PhaseStats overload = aimd.get(2);
    int[] range = overload.secondHalfRange();
    assertThat(range[0]).isGreaterThanOrEqualTo((int) (0.8 * C));
    assertThat(range[1]).isLessThanOrEqualTo((int) (1.2 * C));
    assertThat(overload.settledSeconds(0.2)).isBetween(0.0, 1.0);

    Simulation.PhaseStats halved = aimd.get(4);
    int[] halvedRange = halved.secondHalfRange();
    assertThat(halvedRange[0]).isGreaterThanOrEqualTo((int) (0.8 * C / 2));
    assertThat(halvedRange[1]).isLessThanOrEqualTo((int) (1.2 * C / 2));
    assertThat(halved.settledSeconds(0.2)).isBetween(0.0, 2.0);

    Simulation.PhaseStats back = aimd.get(5);
    assertThat(back.settledSeconds(0.2)).isBetween(0.0, 2.0); // recovers within 2 s

    for (Simulation.PhaseStats phase : aimd) {
      assertThat(phase.p99Millis()).as(phase.phase.name()).isLessThanOrEqualTo(2 * UNLOADED_MS);
    }
    // near all the downstream serves under overload: goodput within 10 % of C / L
    assertThat(overload.goodput()).isGreaterThan(0.9 * C * 1000 / LATENCY_MS);
  }

  @Test
  void aFixedLimitTooHighFailsCallsAndOneTooLowWastesTheDownstream() {
    List<Simulation.PhaseStats> aimd = runAdaptive(AdaptiveLimitConfig.defaults());
    List<Simulation.PhaseStats> high = runFixed(4 * C);
    List<Simulation.PhaseStats> low = runFixed(C / 4);
    System.out.println(Simulation.table("fixed 4C = " + 4 * C, high));
    System.out.println(Simulation.table("fixed C/4 = " + C / 4, low));

    for (int overloaded : new int[] {2, 4, 5}) {
      Simulation.PhaseStats adaptive = aimd.get(overloaded);
      Simulation.PhaseStats tooHigh = high.get(overloaded);
      Simulation.PhaseStats tooLow = low.get(overloaded);
      // too high: the downstream sheds a large share of what the limit lets through
      assertThat(failedShare(tooHigh)).as(tooHigh.phase.name()).isGreaterThan(0.4);
      assertThat(failedShare(adaptive))
          .as(adaptive.phase.name())
          .isLessThan(0.2); // AIMD learns by loss: 10 to 16 %
      // too low: a quarter of the downstream's capacity at most, whatever it could serve
      assertThat(tooLow.goodput()).as(tooLow.phase.name()).isLessThan(0.6 * adaptive.goodput());
    }
  }

  @Test
  void gradientConvergesNearTheCapacityWithFewerFailuresThanAimd() {
    List<Simulation.PhaseStats> gradient =
        runAdaptive(
            AdaptiveLimitConfig.defaults().withAlgorithm(AdaptiveLimitConfig.Algorithm.GRADIENT));
    System.out.println(Simulation.table("GRADIENT", gradient));

    int[] range = gradient.get(2).secondHalfRange();
    assertThat(range[0]).isGreaterThanOrEqualTo((int) (0.8 * C));
    assertThat(range[1]).isLessThanOrEqualTo((int) (1.2 * C));
    assertThat(gradient.get(4).settledSeconds(0.2)).isBetween(0.0, 2.0);
    assertThat(gradient.get(5).settledSeconds(0.2)).isBetween(0.0, 2.0);
    List<Simulation.PhaseStats> aimd = runAdaptive(AdaptiveLimitConfig.defaults());
    for (int i = 0; i < gradient.size(); i++) {
      Simulation.PhaseStats phase = gradient.get(i);
      assertThat(phase.p99Millis()).as(phase.phase.name()).isLessThanOrEqualTo(2 * UNLOADED_MS);
      // it reads the queue in the latency before the downstream sheds: fewer failures than AIMD
      assertThat(phase.shed + phase.timedOut)
          .as(phase.phase.name())
          .isLessThanOrEqualTo(aimd.get(i).shed + aimd.get(i).timedOut);
    }
  }

  private static double failedShare(Simulation.PhaseStats phase) {
    long admitted = phase.arrivals - phase.rejected;
    return (phase.shed + phase.timedOut) / (double) admitted;
  }
}
