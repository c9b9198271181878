package dev.resilience.core;

/**
 * The state of a {@link CircuitBreaker}.
 *
 * <p>The transitions a breaker makes by itself are fixed here, in one place: CLOSED to OPEN, OPEN
 * to HALF_OPEN, HALF_OPEN to CLOSED or back to OPEN. An operator may force any state.
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
}
