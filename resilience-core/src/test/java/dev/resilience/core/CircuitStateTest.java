package dev.resilience.core;

import static dev.resilience.core.CircuitState.CLOSED;
import static dev.resilience.core.CircuitState.HALF_OPEN;
import static dev.resilience.core.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CircuitStateTest {

  @ParameterizedTest
  @EnumSource(CircuitState.class)
  void aBreakerMovesByItselfOnlyAlongTheDocumentedTable(CircuitState from) {
    Set<CircuitState> expected =
        switch (from) {
          case CLOSED -> EnumSet.of(OPEN);
          case OPEN -> EnumSet.of(HALF_OPEN);
          case HALF_OPEN -> EnumSet.of(CLOSED, OPEN);
        };
    for (CircuitState to : CircuitState.values()) {
      assertThat(from.canTransitionTo(to)).as(from + " -> " + to).isEqualTo(expected.contains(to));
    }
  }

  @ParameterizedTest
  @EnumSource(CircuitState.class)
  void anOperatorForcesClosedOrOpenFromAnyOtherStateButNeverHalfOpen(CircuitState from) {
    for (CircuitState to : CircuitState.values()) {
      boolean expected = to != from && to != HALF_OPEN;
      assertThat(from.canBeForcedTo(to)).as(from + " -> " + to).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(CircuitState.class)
  void everyReachableMoveIsEitherNaturalOrForcedAndClosedNeverReachesHalfOpen(CircuitState from) {
    for (CircuitState to : CircuitState.values()) {
      assertThat(from.canReach(to)).isEqualTo(from.canTransitionTo(to) || from.canBeForcedTo(to));
    }
    assertThat(CLOSED.canReach(HALF_OPEN)).isFalse();
    assertThat(from.canReach(from)).as("staying is no transition").isFalse();
  }

  @ParameterizedTest
  @EnumSource(CircuitState.class)
  void gaugeValuesAreZeroOneTwo(CircuitState state) {
    assertThat(state.gaugeValue()).isEqualTo(state.ordinal());
  }
}
