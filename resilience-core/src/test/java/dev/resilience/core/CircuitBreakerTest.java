package dev.resilience.core;

import static dev.resilience.core.CircuitState.CLOSED;
import static dev.resilience.core.CircuitState.HALF_OPEN;
import static dev.resilience.core.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final Duration SLICE = WINDOW.dividedBy(SlidingWindow.SLICES);
  private static final Duration COOLDOWN = Duration.ofSeconds(5);

  private final FakeTicker ticker = new FakeTicker();
  private final List<String> transitions = new ArrayList<>();

  private TimeWindowCircuitBreaker breaker(UnaryOperator<CircuitBreakerConfig.Builder> settings) {
    CircuitBreakerConfig config =
        settings
            .apply(
                CircuitBreakerConfig.builder()
                    .window(WINDOW)
                    .failThreshold(3)
                    .cooldown(COOLDOWN)
                    .minDwell(Duration.ZERO))
            .build();
    TimeWindowCircuitBreaker breaker = new TimeWindowCircuitBreaker("exchange", config, ticker);
    breaker.addListener(
        (b, from, to) -> {
          assertThat(b.state()).as("listeners run after the change").isEqualTo(to);
          transitions.add(from + "->" + to);
        });
    return breaker;
  }

  private TimeWindowCircuitBreaker breaker() {
    return breaker(b -> b);
  }

  private static void fail(TimeWindowCircuitBreaker breaker, String code) {
    long permit = breaker.tryAcquirePermission(false);
    assertThat(permit).as("permitted").isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
    breaker.onFailure(permit, code);
  }

  private static void succeed(TimeWindowCircuitBreaker breaker) {
    long permit = breaker.tryAcquirePermission(false);
    assertThat(permit).as("permitted").isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
    breaker.onSuccess(permit, 1_000);
  }

  private TimeWindowCircuitBreaker opened() {
    TimeWindowCircuitBreaker breaker = breaker();
    for (int i = 0; i < 3; i++) {
      fail(breaker, "503");
    }
    assertThat(breaker.state()).isEqualTo(OPEN);
    transitions.clear();
    return breaker;
  }

  @Nested
  class WhenClosed {

    @Test
    void whenHeldClosedThenFailuresAreCountedButDoNotOpenItUntilForcedOtherwise() {
      TimeWindowCircuitBreaker breaker = opened();
      breaker.holdClosed();
      assertThat(breaker.snapshot().forced()).isTrue();

      for (int i = 0; i < 5; i++) {
        fail(breaker, "503");
      }

      assertThat(breaker.state()).isEqualTo(CLOSED);
      assertThat(breaker.snapshot().failuresInWindow()).isEqualTo(8.0);
      breaker.forceClose();
      assertThat(breaker.snapshot().forced()).isFalse();
      fail(breaker, "503");
      assertThat(breaker.state()).isEqualTo(OPEN);
    }

    @Test
    void opensWhenWeightedFailuresInTheWindowReachTheThreshold() {
      TimeWindowCircuitBreaker breaker = breaker();
      fail(breaker, "503");
      fail(breaker, "500");
      assertThat(breaker.state()).isEqualTo(CLOSED);

      fail(breaker, "503");

      assertThat(breaker.state()).isEqualTo(OPEN);
      assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void successesNeverOpenNorEraseFailures() {
      TimeWindowCircuitBreaker breaker = breaker();
      fail(breaker, "503");
      fail(breaker, "503");
      for (int i = 0; i < 1000; i++) {
        succeed(breaker);
      }
      assertThat(breaker.state()).isEqualTo(CLOSED);

      fail(breaker, "503");

      assertThat(breaker.state()).isEqualTo(OPEN);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
      TimeWindowCircuitBreaker breaker = breaker();
      fail(breaker, "503");
      fail(breaker, "503");

      ticker.advance(WINDOW);
      fail(breaker, "503");

      assertThat(breaker.state()).isEqualTo(CLOSED);
      assertThat(breaker.snapshot().failuresInWindow()).isEqualTo(1.0);
    }

    @Test
    void aFailureAtTheStartOfASliceCountsUntilJustBeforeAWholeWindow() {
      TimeWindowCircuitBreaker breaker = breaker();
      fail(breaker, "503");

      ticker.advance(WINDOW.minusNanos(1));
      assertThat(breaker.snapshot().failuresInWindow()).isEqualTo(1.0);
      ticker.advanceNanos(1);
      assertThat(breaker.snapshot().failuresInWindow()).as("never a whole window").isZero();
    }

    @Test
    void aFailureAtTheEndOfASliceCountsForTheWindowLessOneSlice() {
      TimeWindowCircuitBreaker breaker = breaker();
      ticker.advance(SLICE.minusNanos(1));
      fail(breaker, "503");

      ticker.advance(WINDOW.minus(SLICE));
      assertThat(breaker.snapshot().failuresInWindow()).isEqualTo(1.0);
      ticker.advanceNanos(1);
      assertThat(breaker.snapshot().failuresInWindow()).isZero();
    }

    @Test
    void weightsMakeSomeFailuresCountMore() {
      TimeWindowCircuitBreaker breaker = breaker(b -> b.weight("timeout", 2.0).weight("429", 0.5));
      fail(breaker, "timeout");
      assertThat(breaker.snapshot().failuresInWindow()).isEqualTo(2.0);

      fail(breaker, "429");
      assertThat(breaker.state()).as("2.5 < 3").isEqualTo(CLOSED);
      fail(breaker, "429");

      assertThat(breaker.state()).isEqualTo(OPEN);
      assertThat(breaker.snapshot().failureCodes())
          .containsExactly(Map.entry("429", 2L), Map.entry("timeout", 1L));
    }

    @Test
    void failureRateOpensOnceMinimumCallsAreInTheWindow() {
      TimeWindowCircuitBreaker breaker =
          breaker(b -> b.failThreshold(1000).failureRateThreshold(50.0).minimumCalls(10));
      for (int i = 0; i < 4; i++) {
        succeed(breaker);
        fail(breaker, "503");
      }
      succeed(breaker);
      assertThat(breaker.state()).as("9 calls: below minimum").isEqualTo(CLOSED);

      fail(breaker, "503");

      assertThat(breaker.state()).as("5 of 10 failed").isEqualTo(OPEN);
    }

    @Test
    void failureRateBelowTheThresholdKeepsItClosed() {
      TimeWindowCircuitBreaker breaker =
          breaker(b -> b.failThreshold(1000).failureRateThreshold(50.0).minimumCalls(10));
      for (int i = 0; i < 100; i++) {
        succeed(breaker);
        succeed(breaker);
        fail(breaker, "503");
      }

      assertThat(breaker.state()).isEqualTo(CLOSED);
      assertThat(breaker.snapshot().callsInWindow()).isEqualTo(300);
    }

    @Test
    void aSuccessSlowerThanTheSlowCallDurationCountsAsASlowFailure() {
      TimeWindowCircuitBreaker breaker = breaker(b -> b.slowCallDuration(Duration.ofSeconds(1)));
      long permit = breaker.tryAcquirePermission(false);
      breaker.onSuccess(permit, Duration.ofSeconds(1).toNanos());
      long fast = breaker.tryAcquirePermission(false);
      breaker.onSuccess(fast, Duration.ofMillis(999).toNanos());

      CircuitBreakerSnapshot snapshot = breaker.snapshot();
      assertThat(snapshot.failureCodes()).containsExactly(Map.entry("slow", 1L));
      assertThat(snapshot.failuresInWindow()).isEqualTo(1.0);
      assertThat(snapshot.callsInWindow()).isEqualTo(2);
    }

    @Test
    void closingAfterProbesStartsWithAnEmptyWindowButForceCloseKeepsIt() {
      TimeWindowCircuitBreaker breaker = opened();
      breaker.forceClose();
      assertThat(breaker.snapshot().failuresInWindow()).isEqualTo(3.0);
      fail(breaker, "503");
      assertThat(breaker.state()).as("the kept failures still count").isEqualTo(OPEN);

      ticker.advance(COOLDOWN);
      succeed(breaker);

      assertThat(breaker.state()).isEqualTo(CLOSED);
      assertThat(breaker.snapshot().failuresInWindow()).isZero();
      assertThat(breaker.snapshot().callsInWindow()).isZero();
    }
  }

  @Nested
  class WhenOpen {

    @Test
    void rejectsCallsAndTellsWhenToRetry() {
      TimeWindowCircuitBreaker breaker = opened();

      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.retryAfter()).isEqualTo(COOLDOWN);
      ticker.advance(Duration.ofSeconds(2));
      assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void movesToHalfOpenOnTheFirstCallAfterTheCooldown() {
      TimeWindowCircuitBreaker breaker = opened();
      ticker.advance(COOLDOWN.minusNanos(1));
      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);

      ticker.advance(Duration.ofNanos(1));
      long probe = breaker.tryAcquirePermission(false);

      assertThat(probe).isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.state()).isEqualTo(HALF_OPEN);
      assertThat(breaker.snapshot().probesInFlight()).isEqualTo(1);
      assertThat(transitions).containsExactly("OPEN->HALF_OPEN");
    }

    @Test
    void anIdleBreakerShowsHalfOpenToReadersOnceTheCooldownHasPassed() {
      TimeWindowCircuitBreaker breaker = opened();
      ticker.advance(COOLDOWN.minusNanos(1));
      assertThat(breaker.state()).isEqualTo(OPEN);
      assertThat(breaker.snapshot().state()).isEqualTo(OPEN);
      assertThat(transitions).isEmpty();

      ticker.advance(Duration.ofNanos(1));

      assertThat(breaker.state()).as("true without traffic: no call needed").isEqualTo(HALF_OPEN);
      assertThat(breaker.snapshot().state()).isEqualTo(HALF_OPEN);
      assertThat(breaker.snapshot().probesInFlight()).isZero();
      assertThat(breaker.retryAfterNanos()).isZero();
      assertThat(transitions).as("one transition, told once").containsExactly("OPEN->HALF_OPEN");
      assertThat(breaker.tryAcquirePermission(false))
          .as("the next call is the probe")
          .isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.tryAcquirePermission(false))
          .as("only one probe")
          .isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
    }

    @Test
    void aForcedOpenBreakerStaysOpenToReadersPastTheCooldown() {
      TimeWindowCircuitBreaker breaker = breaker();
      breaker.forceOpen();
      transitions.clear();

      ticker.advance(COOLDOWN.multipliedBy(10));

      assertThat(breaker.state()).isEqualTo(OPEN);
      assertThat(transitions).isEmpty();
    }

    @Test
    void staysOpenForMinDwellWhenItIsLongerThanTheCooldown() {
      TimeWindowCircuitBreaker breaker = breaker(b -> b.minDwell(Duration.ofSeconds(8)));
      for (int i = 0; i < 3; i++) {
        fail(breaker, "503");
      }

      ticker.advance(COOLDOWN);
      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(3));
      ticker.advance(Duration.ofSeconds(3));

      assertThat(breaker.tryAcquirePermission(false))
          .isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    }
  }

  @Nested
  class WhenHalfOpen {

    private TimeWindowCircuitBreaker halfOpen(int probeCount) {
      TimeWindowCircuitBreaker breaker = breaker(b -> b.probeCount(probeCount));
      for (int i = 0; i < 3; i++) {
        fail(breaker, "503");
      }
      ticker.advance(COOLDOWN);
      transitions.clear();
      return breaker;
    }

    @Test
    void letsAtMostProbeCountCallsThroughAtOnce() {
      TimeWindowCircuitBreaker breaker = halfOpen(2);
      long first = breaker.tryAcquirePermission(false);
      long second = breaker.tryAcquirePermission(false);

      assertThat(first).isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(second).isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.snapshot().probesInFlight()).isEqualTo(2);
      assertThat(breaker.retryAfterNanos()).as("it may close any moment").isZero();
    }

    @Test
    void closesAfterProbeCountConsecutiveSuccesses() {
      TimeWindowCircuitBreaker breaker = halfOpen(2);
      long first = breaker.tryAcquirePermission(false);
      long second = breaker.tryAcquirePermission(false);

      breaker.onSuccess(first, 1_000);
      assertThat(breaker.state()).isEqualTo(HALF_OPEN);
      breaker.onSuccess(second, 1_000);

      assertThat(breaker.state()).isEqualTo(CLOSED);
      assertThat(transitions).containsExactly("OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void anyFailedProbeReopensAtOnceAndRestartsTheCooldown() {
      TimeWindowCircuitBreaker breaker = halfOpen(3);
      long first = breaker.tryAcquirePermission(false);
      long second = breaker.tryAcquirePermission(false);
      breaker.onSuccess(first, 1_000);

      breaker.onFailure(second, "503");

      assertThat(breaker.state()).isEqualTo(OPEN);
      assertThat(breaker.retryAfter()).isEqualTo(COOLDOWN);
      assertThat(transitions).containsExactly("OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    }

    @Test
    void aReleasedProbeFreesItsSlotWithoutCountingAsASuccess() {
      TimeWindowCircuitBreaker breaker = halfOpen(1);
      long probe = breaker.tryAcquirePermission(false);
      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);

      breaker.releasePermission(probe);

      assertThat(breaker.state()).isEqualTo(HALF_OPEN);
      long next = breaker.tryAcquirePermission(false);
      assertThat(next).isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      breaker.onSuccess(next, 1_000);
      assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void aProbeThatNeverReportsBackCountsAsATimeoutAfterTheCooldown() {
      TimeWindowCircuitBreaker breaker = halfOpen(1);
      long hung = breaker.tryAcquirePermission(false);
      ticker.advance(COOLDOWN.minusNanos(1));
      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.state()).isEqualTo(HALF_OPEN);

      ticker.advance(Duration.ofNanos(1));
      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);

      assertThat(breaker.state()).isEqualTo(OPEN);
      assertThat(breaker.snapshot().failureCodes()).containsEntry("timeout", 1L);
      assertThat(transitions).containsExactly("OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
      breaker.onSuccess(hung, 1_000);
      assertThat(breaker.state())
          .as("the late report of the hung probe changes nothing")
          .isEqualTo(OPEN);
    }

    @Test
    void aCallThatFindsTheBreakerClosedUnderItWhileMovingItToHalfOpenPassesAsAnOrdinaryCall() {
      // Another thread forces the breaker closed between this caller's read of OPEN and its
      // compare-and-set to HALF_OPEN. The caller reads the clock in between: that reading is where
      // the other thread acts, so the race runs the same way every time.
      Runnable[] onNextRead = {null};
      Ticker clock =
          () -> {
            Runnable other = onNextRead[0];
            onNextRead[0] = null;
            if (other != null) {
              other.run();
            }
            return ticker.read();
          };
      TimeWindowCircuitBreaker breaker =
          new TimeWindowCircuitBreaker(
              "exchange",
              CircuitBreakerConfig.builder()
                  .failThreshold(1)
                  .cooldown(COOLDOWN)
                  .minDwell(Duration.ZERO)
                  .build(),
              clock);
      breaker.addListener((b, from, to) -> transitions.add(from + "->" + to));
      fail(breaker, "503");
      ticker.advance(COOLDOWN); // due for HALF_OPEN; nothing has read it yet
      onNextRead[0] = breaker::forceClose;

      long permit = breaker.tryAcquirePermission(false);

      assertThat(permit)
          .as("a permit, not a rejection")
          .isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(transitions)
          .as("its own move lost")
          .containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
      breaker.onSuccess(permit, 1_000);
      assertThat(breaker.state()).isEqualTo(CLOSED);
      assertThat(breaker.snapshot().callsInWindow()).as("counted as an ordinary call").isEqualTo(2);
      assertThat(breaker.snapshot().probesInFlight()).isZero();
    }

    @Test
    void aLateReportOfACallPermittedBeforeOpeningIsNotAProbe() {
      TimeWindowCircuitBreaker breaker = breaker(b -> b.probeCount(1));
      long early = breaker.tryAcquirePermission(false);
      for (int i = 0; i < 3; i++) {
        fail(breaker, "503");
      }
      ticker.advance(COOLDOWN);
      long probe = breaker.tryAcquirePermission(false);

      breaker.onSuccess(early, 1_000);
      assertThat(breaker.state()).isEqualTo(HALF_OPEN);
      breaker.onFailure(early, "503");
      assertThat(breaker.state()).as("only probes decide in HALF_OPEN").isEqualTo(HALF_OPEN);

      breaker.onSuccess(probe, 1_000);
      assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void waitsMinDwellBeforeClosingEvenAfterEnoughSuccesses() {
      TimeWindowCircuitBreaker breaker =
          breaker(b -> b.minDwell(Duration.ofSeconds(4)).cooldown(Duration.ofSeconds(2)));
      for (int i = 0; i < 3; i++) {
        fail(breaker, "503");
      }
      ticker.advance(Duration.ofSeconds(4));
      succeed(breaker);
      assertThat(breaker.state())
          .as("probe succeeded before min-dwell in HALF_OPEN")
          .isEqualTo(HALF_OPEN);

      ticker.advance(Duration.ofSeconds(4));
      long next = breaker.tryAcquirePermission(false);

      assertThat(next).isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void reopensAtOnceEvenBeforeMinDwellHasPassed() {
      TimeWindowCircuitBreaker breaker = breaker(b -> b.minDwell(Duration.ofMinutes(1)));
      for (int i = 0; i < 3; i++) {
        fail(breaker, "503");
      }
      ticker.advance(Duration.ofMinutes(1));
      long probe = breaker.tryAcquirePermission(false);

      breaker.onFailure(probe, "503");

      assertThat(breaker.state()).isEqualTo(OPEN);
    }
  }

  @Nested
  class MinDwellTowardSafety {

    @Test
    void opensAtOnceEvenRightAfterClosing() {
      TimeWindowCircuitBreaker breaker = breaker(b -> b.minDwell(Duration.ofMinutes(10)));
      breaker.reset();
      for (int i = 0; i < 3; i++) {
        fail(breaker, "503");
      }
      assertThat(breaker.state()).isEqualTo(OPEN);
    }
  }

  @Nested
  class Allowlist {

    @Test
    void passesWhileOpenAndHalfOpenWithoutTakingAProbeSlot() {
      TimeWindowCircuitBreaker breaker = opened();
      assertThat(breaker.tryAcquirePermission(true))
          .isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      ticker.advance(COOLDOWN);
      long probe = breaker.tryAcquirePermission(false);
      assertThat(breaker.state()).isEqualTo(HALF_OPEN);

      long allowlisted = breaker.tryAcquirePermission(true);

      assertThat(allowlisted).isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.snapshot().probesInFlight()).isEqualTo(1);
      breaker.onSuccess(allowlisted, 1_000);
      assertThat(breaker.state()).as("an allowlisted success never closes").isEqualTo(HALF_OPEN);
      breaker.onSuccess(probe, 1_000);
      assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void failuresCountTowardOpeningAndReopenAHalfOpenBreaker() {
      TimeWindowCircuitBreaker breaker = breaker();
      for (int i = 0; i < 3; i++) {
        breaker.onFailure(breaker.tryAcquirePermission(true), "503");
      }
      assertThat(breaker.state()).isEqualTo(OPEN);

      breaker.onFailure(breaker.tryAcquirePermission(true), "503");
      assertThat(breaker.snapshot().failuresInWindow()).as("counted while open").isEqualTo(4.0);

      ticker.advance(COOLDOWN);
      breaker.tryAcquirePermission(false);
      assertThat(breaker.state()).isEqualTo(HALF_OPEN);
      breaker.onFailure(breaker.tryAcquirePermission(true), "503");
      assertThat(breaker.state()).isEqualTo(OPEN);
    }
  }

  @Nested
  class Forced {

    @Test
    void forcedOpenStaysOpenPastTheCooldownUntilClosed() {
      TimeWindowCircuitBreaker breaker = breaker();
      breaker.forceOpen();
      ticker.advance(Duration.ofHours(1));

      assertThat(breaker.tryAcquirePermission(false)).isEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(breaker.snapshot().forced()).isTrue();
      assertThat(breaker.retryAfter()).isEqualTo(COOLDOWN);

      breaker.forceClose();
      assertThat(breaker.tryAcquirePermission(false))
          .isNotEqualTo(TimeWindowCircuitBreaker.NO_PERMIT);
      assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
    }

    @Test
    void resetClosesWithAnEmptyWindow() {
      TimeWindowCircuitBreaker breaker = opened();
      breaker.reset();

      CircuitBreakerSnapshot snapshot = breaker.snapshot();
      assertThat(snapshot.state()).isEqualTo(CLOSED);
      assertThat(snapshot.failuresInWindow()).isZero();
      assertThat(snapshot.failureCodes()).isEmpty();
      fail(breaker, "503");
      assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void forcingTheCurrentStateAnnouncesNothing() {
      TimeWindowCircuitBreaker breaker = breaker();
      breaker.forceClose();
      breaker.reset();
      assertThat(transitions).isEmpty();
    }
  }

  @Nested
  class Listeners {

    @Test
    void aFailingListenerDoesNotBreakTheCallNorTheOthers() {
      TimeWindowCircuitBreaker breaker = breaker();
      breaker.addListener(
          (b, from, to) -> {
            throw new IllegalStateException("listener bug");
          });
      List<CircuitState> seen = new ArrayList<>();
      breaker.addListener((b, from, to) -> seen.add(to));

      breaker.forceOpen();

      assertThat(seen).containsExactly(OPEN);
      assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void aFailingListenerIsLoggedAsAWarningNamingTheBreakerAndTheMove() throws Exception {
      TimeWindowCircuitBreaker breaker = breaker();
      IllegalStateException bug = new IllegalStateException("listener bug");
      breaker.addListener(
          (b, from, to) -> {
            throw bug;
          });

      String log = JdkProbes.warningsLoggedBy(CircuitBreaker.class.getName(), breaker::forceOpen);

      assertThat(log)
          .startsWith(
              "Transition listener failed on breaker 'exchange' (CLOSED -> OPEN)"
                  + System.lineSeparator()
                  + "java.lang.IllegalStateException: listener bug");
    }
  }

  @Test
  void snapshotShowsStateTimingAndWindowCounts() {
    TimeWindowCircuitBreaker breaker = breaker();
    succeed(breaker);
    fail(breaker, "503");
    fail(breaker, "503");
    fail(breaker, "429");
    ticker.advance(Duration.ofSeconds(2));

    CircuitBreakerSnapshot snapshot = breaker.snapshot();

    assertThat(snapshot.name()).isEqualTo("exchange");
    assertThat(snapshot.state()).isEqualTo(OPEN);
    assertThat(snapshot.forced()).isFalse();
    assertThat(snapshot.timeInState()).isEqualTo(Duration.ofSeconds(2));
    assertThat(snapshot.callsInWindow()).isEqualTo(4);
    assertThat(snapshot.failuresInWindow()).isEqualTo(3.0);
    assertThat(snapshot.failureCodes()).containsExactly(Map.entry("429", 1L), Map.entry("503", 2L));
    assertThat(snapshot.retryAfter()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aRejectedCallHasNoPermitSoReportingOrReleasingOneFailsAndCountsNothing() {
    TimeWindowCircuitBreaker breaker = breaker();
    long none = TimeWindowCircuitBreaker.NO_PERMIT;

    assertThatIllegalArgumentException()
        .isThrownBy(() -> breaker.onSuccess(none, 0))
        .withMessage("a rejected call has no permit to report on");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> breaker.onFailure(none, "503"))
        .withMessage("a rejected call has no permit to report on");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> breaker.succeeded(none, ticker.read()))
        .withMessage("a rejected call has no permit to report on");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> breaker.releasePermission(none))
        .withMessage("a rejected call has no permit to report on");

    assertThat(breaker.snapshot().callsInWindow()).isZero();
    assertThat(breaker.snapshot().failuresInWindow()).isZero();
  }

  @Test
  void showsItsNameAndStateWhenPrinted() {
    TimeWindowCircuitBreaker breaker = opened();

    assertThat(breaker).hasToString("CircuitBreaker{exchange, OPEN}");
  }
}
