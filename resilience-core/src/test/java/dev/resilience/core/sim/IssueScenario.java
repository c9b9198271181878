package dev.resilience.core.sim;

import java.time.Duration;
import java.util.List;

/**
 * The scenario of issue 15's proof, shared by {@code AdaptiveLimitSimulationTest} and the
 * benchmarks module's comparison with other libraries: a downstream of capacity {@value #C} calls
 * at {@value #LATENCY_MS} ms (so {@code C / L} = 1,000 calls a second), holding at most 10 % more
 * before it sheds with 503, behind a caller that gives up at 2 L; a load that ramps to twice what
 * it serves, drops, then meets the downstream at half its capacity for 20 s, then at full capacity
 * again.
 */
public final class IssueScenario {

  /** The downstream's capacity, in calls at once. */
  public static final int C = 100;

  /** The downstream's latency when it is not loaded. */
  public static final int LATENCY_MS = 100;

  /** The phases, in order. */
  public static final List<Phase> PHASES =
      List.of(
          Phase.steady("steady 50%", Duration.ofSeconds(10), 500, C),
          new Phase("ramp to 2x", Duration.ofSeconds(10), 500, 2000, C),
          Phase.steady("overload 2x", Duration.ofSeconds(20), 2000, C),
          Phase.steady("load drops", Duration.ofSeconds(10), 300, C),
          Phase.steady("capacity halves", Duration.ofSeconds(20), 2000, C / 2),
          Phase.steady("capacity back", Duration.ofSeconds(20), 2000, C));

  private IssueScenario() {}

  /** A new simulated downstream for one run: its clock starts at zero. */
  public static Simulation downstream() {
    return new Simulation(
        Duration.ofMillis(LATENCY_MS),
        0.1,
        Duration.ofMillis(2 * LATENCY_MS),
        Duration.ofMillis(1));
  }
}
