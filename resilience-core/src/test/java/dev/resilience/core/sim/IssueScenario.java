package dev.resilience.core.sim;

import java.time.Duration;
import java.util.List;

/**
 * The scenario of issue 15's proof, shared by {@code AdaptiveLimitSimulationTest} and the
 * benchmarks module's comparison with other libraries: a downstream of capacity {@value #C} calls
 * at {@value #LATENCY_MS} ms (so {@code C / L} = 1,000 calls a second) whose latency grows with its
 * queue, as the issue says: it holds up to 5 C (a service with C worker threads and a queue of 4 C,
 * as a servlet container's thread pool and accept queue would) before it sheds with 503, and its
 * caller gives up at 1 s (10 L, a common HTTP client read timeout), so a limit set too high shows
 * as latency long before it shows as failures. The load ramps to twice what the downstream serves,
 * drops, then meets the downstream at half its capacity for 20 s, then at full capacity again.
 * {@link #sheddingDownstream()} is the same downstream with almost no queue.
 */
public final class IssueScenario {

  /** The downstream's capacity, in calls at once. */
  public static final int C = 100;

  /** The downstream's latency when it is not loaded. */
  public static final int LATENCY_MS = 100;

  /** How many calls beyond its capacity the downstream holds, as a fraction of the capacity. */
  public static final double QUEUE_FRACTION = 4.0;

  /** How long the caller waits for an answer. */
  public static final int TIMEOUT_MS = 1000;

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

  /**
   * A downstream that holds little queue: it sheds with 503 beyond 1.1 C and its caller gives up at
   * 2 L, so an overload shows as loss and barely in the latency; the world loss-based limits (AIMD)
   * are made for, kept to show what each kind of limit reads.
   */
  public static Simulation sheddingDownstream() {
    return new Simulation(
        Duration.ofMillis(LATENCY_MS),
        0.1,
        Duration.ofMillis(2 * LATENCY_MS),
        Duration.ofMillis(1));
  }

  /** A new simulated downstream for one run, as the issue describes: its clock starts at zero. */
  public static Simulation downstream() {
    return new Simulation(
        Duration.ofMillis(LATENCY_MS),
        QUEUE_FRACTION,
        Duration.ofMillis(TIMEOUT_MS),
        Duration.ofMillis(1));
  }
}
