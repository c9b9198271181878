package dev.resilience.spring.metrics;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitState;
import dev.resilience.core.TransitionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one breaker: its state gauge, and a transition counter for each change a breaker
 * can make, registered up front so that every series exists from start-up and a transition only
 * increments a counter it holds.
 *
 * <p>The changes a breaker can make are those the table in {@link CircuitState} allows ({@link
 * CircuitState#canReach}): the four it makes on its own and those an operator forces. That is five
 * series per breaker; CLOSED to HALF_OPEN cannot happen and has none.
 *
 * <p>The {@code from} and {@code to} tags carry the state names as the actuator and the health
 * details show them: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}.
 */
final class BreakerMeters implements TransitionListener {

  static final String STATE = "resilience.breaker.state";
  static final String TRANSITIONS = "resilience.breaker.transitions";

  private static final CircuitState[] STATES = CircuitState.values();

  private final String name;
  private final MeterRegistry registry;

  /** Indexed by {@code [from.ordinal()][to.ordinal()]}; empty where no change is possible. */
  private final @Nullable Counter[][] transitions = new Counter[STATES.length][STATES.length];

  BreakerMeters(CircuitBreaker breaker, MeterRegistry registry) {
    this.name = breaker.name();
    this.registry = registry;
    Gauge.builder(STATE, breaker, b -> b.state().gaugeValue())
        .description("State of the circuit breaker: 0 CLOSED, 1 OPEN, 2 HALF_OPEN")
        .tag("breaker", name)
        .strongReference(true)
        .register(registry);
    for (CircuitState from : STATES) {
      for (CircuitState to : STATES) {
        if (from.canReach(to)) {
          transitions[from.ordinal()][to.ordinal()] = transitionCounter(from, to);
        }
      }
    }
  }

  @Override
  public void onTransition(CircuitBreaker breaker, CircuitState from, CircuitState to) {
    Counter counter = transitions[from.ordinal()][to.ordinal()];
    // A change this class does not expect (a newer core) is still counted, by a slower look-up.
    (counter != null ? counter : transitionCounter(from, to)).increment();
  }

  private Counter transitionCounter(CircuitState from, CircuitState to) {
    return Counter.builder(TRANSITIONS)
        .description("State changes of the circuit breaker")
        .tag("breaker", name)
        .tag("from", from.name())
        .tag("to", to.name())
        .register(registry);
  }
}
