package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking entry for reactive callers: a reservation returns the wait for its token instead
 * of sleeping, then ends exactly once, admitted (a bulkhead slot without waiting, the call's clock
 * from then) or cancelled (the permit back, no outcome, no slot).
 */
class ReservationTest {

  private final FakeTicker ticker = new FakeTicker();
  private final List<Long> sleeps = new ArrayList<>();

  private Guard guard(RateLimiterConfig limits, CircuitBreakerConfig breaker, int maxConcurrent) {
    ResilienceRegistry.Builder builder =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .sleeper(sleeps::add)
            .rateLimiterDefaults(limits)
            .circuitBreakerDefaults(breaker);
    if (maxConcurrent > 0) {
      builder.bulkheadOverride("quotes", new BulkheadConfig(maxConcurrent, Duration.ofSeconds(5)));
    }
    return builder.build().guard("quotes", "exchange", false);
  }

  private static CircuitBreakerConfig opensAfterOneFailure() {
    return CircuitBreakerConfig.builder()
        .failThreshold(1)
        .cooldown(Duration.ofSeconds(5))
        .minDwell(Duration.ZERO)
        .build();
  }

  @Test
  void aReservedFutureTokenIsReturnedAsAWaitAndNeverSlept() {
    Guard guard =
        guard(
            new RateLimiterConfig(10, 1, Duration.ofSeconds(1)),
            CircuitBreakerConfig.defaults(),
            0);

    Reservation first = guard.reserve(null);
    Reservation second = guard.reserve(null);
    Reservation third = guard.reserve(null);

    assertThat(first.waitNanos()).isZero();
    assertThat(second.waitNanos()).isEqualTo(100_000_000L);
    assertThat(third.waitNanos()).isEqualTo(200_000_000L);
    assertThat(sleeps).as("the guard never sleeps for a reservation").isEmpty();
    assertThat(second).hasToString("Reservation{quotes, wait 100000000 ns, pending}");
    first.admit().succeeded();
    second.admit().succeeded();
    third.cancel();
    assertThat(guard.breaker().snapshot().callsInWindow()).isEqualTo(2);
  }

  @Test
  void aCancelledReservationGivesTheProbeSlotBackWithoutAnOutcome() {
    Guard guard = guard(new RateLimiterConfig(100, 100, Duration.ZERO), opensAfterOneFailure(), 0);
    guard.admit().failed("503");
    ticker.advance(Duration.ofSeconds(5));
    Reservation probe = guard.reserve(null);
    assertThatExceptionOfType(CircuitOpenException.class)
        .as("the only probe slot is held by the reservation")
        .isThrownBy(() -> guard.reserve(null));

    probe.cancel();

    assertThat(guard.breaker().snapshot().probesInFlight()).isZero();
    assertThat(guard.breaker().state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(guard.reserve(null)).as("the slot is free again").isNotNull();
  }

  @Test
  void aReservationEndsExactlyOnce() {
    Guard guard =
        guard(new RateLimiterConfig(100, 100, Duration.ZERO), CircuitBreakerConfig.defaults(), 0);
    Reservation reservation = guard.reserve(null);
    reservation.admit().succeeded();

    assertThatIllegalStateException()
        .isThrownBy(reservation::cancel)
        .withMessage(
            "This reservation for 'quotes' was already admitted; end it exactly once, so that its permit is given"
                + " back once");
    assertThatIllegalStateException().isThrownBy(reservation::admit);
  }

  @Test
  void anAdmittedReservationTakesABulkheadSlotWithoutWaitingAndACancelledOneTakesNone() {
    Guard guard =
        guard(new RateLimiterConfig(100, 100, Duration.ZERO), CircuitBreakerConfig.defaults(), 1);
    GuardedCall running = guard.reserve(null).admit();
    Reservation second = guard.reserve(null);

    long before = System.nanoTime();
    assertThatExceptionOfType(BulkheadFullException.class)
        .isThrownBy(second::admit)
        .withMessage("Bulkhead of 'quotes' is full: 1 calls are in flight already");
    assertThat(System.nanoTime() - before)
        .as("no wait for a slot, although max-wait is 5 s")
        .isLessThan(Duration.ofSeconds(1).toNanos());
    assertThat(guard.breaker().snapshot().failuresInWindow()).isZero();

    guard.reserve(null).cancel();
    assertThat(guard.bulkhead().inFlight()).isEqualTo(1);
    running.abandoned();
    assertThat(guard.bulkhead().inFlight()).isZero();
  }

  @Test
  void aReservedCallIsTimedFromItsAdmissionNotFromItsReservation() {
    Guard guard =
        guard(
            new RateLimiterConfig(1, 1, Duration.ofSeconds(2)),
            CircuitBreakerConfig.builder().slowCallDuration(Duration.ofMillis(500)).build(),
            0);
    guard.reserve(null).admit().succeeded();
    Reservation waiting = guard.reserve(null);
    assertThat(waiting.waitNanos()).isEqualTo(1_000_000_000L);

    ticker.advance(Duration.ofSeconds(1));
    GuardedCall call = waiting.admit();
    ticker.advance(Duration.ofMillis(400));
    call.succeeded();

    assertThat(guard.breaker().snapshot().failureCodes())
        .as("400 ms of call after 1 s of waiting is not slow")
        .isEmpty();
  }

  @Test
  void anOpenBreakerOrAnEmptyBucketRejectsAtReservation() {
    Guard guard = guard(new RateLimiterConfig(1, 1, Duration.ZERO), opensAfterOneFailure(), 0);
    guard.reserve(null).admit().succeeded();

    assertThatExceptionOfType(RateLimitedException.class).isThrownBy(() -> guard.reserve(null));
    assertThat(guard.breaker().snapshot().probesInFlight()).isZero();

    ticker.advance(Duration.ofSeconds(1));
    guard.reserve(null).admit().failed("503");
    assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(() -> guard.reserve(null));
  }
}
