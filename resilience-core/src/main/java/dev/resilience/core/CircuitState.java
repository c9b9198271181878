package dev.resilience.core;

/**
 * The state of a {@link CircuitBreaker}, and the one table of the moves between states.
 *
 * <pre>
 *   from \ to   CLOSED            OPEN              HALF_OPEN
 *   CLOSED      -                 by itself, forced never
 *   OPEN        forced            -                 by itself
 *   HALF_OPEN   by itself, forced by itself, forced -
 * </pre>
 *
 * <p>A breaker moves by itself when its failures, cooldown and probes say so; an operator may force
 * it CLOSED or OPEN from any state, never HALF_OPEN. The breaker checks every move it makes against
 * this table, and the metrics register one transition series for each move the table allows.
 */
public enum CircuitState {
  /** Calls pass; failures are counted in the sliding window. */
  CLOSED(0),
  /** Calls are rejected until the cooldown has elapsed. */
  OPEN(1),
  /** A limited number of probe calls pass to test the downstream. */
  HALF_OPEN(2);

  private final int gaugeValue;

  CircuitState(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /** Returns the value a metrics gauge shows for this state: 0 CLOSED, 1 OPEN, 2 HALF_OPEN. */
  public int gaugeValue() {
    return gaugeValue;
  }

  /** Returns whether a breaker may move from this state to {@code next} on its own. */
  public boolean canTransitionTo(CircuitState next) {
    return switch (this) {
      case CLOSED -> next == OPEN;
      case OPEN -> next == HALF_OPEN;
      case HALF_OPEN -> next == CLOSED || next == OPEN;
    };
  }

  /** Returns whether an operator may force a breaker from this state to {@code next}. */
  public boolean canBeForcedTo(CircuitState next) {
    return next != this && next != HALF_OPEN;
  }

  /** Returns whether a breaker can ever go from this state to {@code next}, by itself or forced. */
  public boolean canReach(CircuitState next) {
    return canTransitionTo(next) || canBeForcedTo(next);
  }
}
