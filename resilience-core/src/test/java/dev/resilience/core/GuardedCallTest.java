package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The low-level entry: one admitted call, one outcome, and what each outcome does to the breaker.
 */
class GuardedCallTest {

  private final FakeTicker ticker = new FakeTicker();
  private final List<Long> sleeps = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  private Guard guard(RateLimiterConfig limits, CircuitBreakerConfig breaker) {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .sleeper(sleeps::add)
            .rateLimiterDefaults(limits)
            .circuitBreakerDefaults(breaker)
            .build();
    Guard guard = registry.guard("place_order", "exchange", false);
    guard.addListener(
        new GuardListener() {
          @Override
          public void onSuccess(Guard g) {
            events.add("success");
          }

          @Override
          public void onFailure(Guard g, String code) {
            events.add("failure " + code);
          }

          @Override
          public void onIgnoredError(Guard g, Throwable error) {
            events.add("ignored");
          }
        });
    return guard;
  }

  private Guard guard() {
    return guard(
        new RateLimiterConfig(100, 100, Duration.ZERO),
        CircuitBreakerConfig.builder()
            .failThreshold(2)
            .cooldown(Duration.ofSeconds(5))
            .minDwell(Duration.ZERO)
            .build());
  }

  private Guard halfOpen() {
    Guard guard = guard();
    guard.admit().failed("503");
    guard.admit().failed("503");
    ticker.advance(Duration.ofSeconds(5));
    assertThat(guard.breaker().state()).isEqualTo(CircuitState.HALF_OPEN);
    events.clear();
    return guard;
  }

  @Test
  void aCallReportedTwiceFailsLoudlyAndCountsOnce() {
    Guard guard = guard();
    GuardedCall call = guard.admit();
    call.failed("503");

    assertThatIllegalStateException()
        .isThrownBy(() -> call.failed("503"))
        .withMessage(
            "The outcome of this call to 'place_order' was already reported (failed); report it exactly once, so that"
                + " no call counts twice");
    assertThatIllegalStateException().isThrownBy(call::succeeded).withMessageContaining("(failed)");
    assertThatIllegalStateException().isThrownBy(call::abandoned);
    assertThat(guard.breaker().snapshot().failuresInWindow()).as("counted once").isEqualTo(1.0);
    assertThat(guard.breaker().state())
        .as("a second report would have opened it")
        .isEqualTo(CircuitState.CLOSED);
    assertThat(events).containsExactly("failure 503");
  }

  @Test
  void aSuccessReportedTwiceFailsLoudly() {
    GuardedCall call = guard().admit();
    call.succeeded();

    assertThatIllegalStateException()
        .isThrownBy(call::succeeded)
        .withMessageContaining("(succeeded)");
    assertThat(events).containsExactly("success");
  }

  @Test
  void anErrorReportedTwiceFailsLoudlyAndCountsOnce() {
    Guard guard = guard();
    GuardedCall call = guard.admit();
    assertThat(call.failed(new IOException("connection reset"), FailureClassifier.jdk())).isTrue();

    assertThatIllegalStateException()
        .isThrownBy(() -> call.failed(new IOException("connection reset"), FailureClassifier.jdk()))
        .withMessageContaining("already reported (failed)");
    assertThat(guard.breaker().snapshot().failuresInWindow()).as("counted once").isEqualTo(1.0);
    assertThat(events).containsExactly("failure network");
  }

  @Test
  void aCallShowsItsEndpointAndWhetherItsOutcomeWasReported() {
    GuardedCall call = guard().admit();
    assertThat(call).hasToString("GuardedCall{place_order, in flight}");

    call.abandoned();

    assertThat(call).hasToString("GuardedCall{place_order, abandoned}");
  }

  @Test
  void anAbandonedProbeGivesItsSlotBackWithoutAnOutcome() {
    Guard guard = halfOpen();
    GuardedCall probe = guard.admit();
    assertThatExceptionOfType(CircuitOpenException.class)
        .as("the only probe slot is taken")
        .isThrownBy(guard::admit);

    probe.abandoned();

    assertThat(guard.breaker().snapshot().probesInFlight()).isZero();
    assertThat(guard.admit()).as("the slot is free again").isNotNull();
    assertThat(events).isEmpty();
  }

  @Test
  void anErrorThatDoesNotCountGivesTheProbeSlotBackAndSaysSo() {
    Guard guard = halfOpen();
    GuardedCall probe = guard.admit();

    boolean counted =
        probe.failed(new IllegalArgumentException("bad order"), FailureClassifier.jdk());

    assertThat(counted).isFalse();
    assertThat(guard.breaker().state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(guard.breaker().snapshot().probesInFlight()).as("the probe slot is free").isZero();
    assertThat(guard.admit()).isNotNull();
    assertThat(events).containsExactly("ignored");
  }

  @Test
  void anErrorThatCountsReopensAHalfOpenBreakerAndSaysSo() {
    Guard guard = halfOpen();
    GuardedCall probe = guard.admit();

    boolean counted = probe.failed(new IOException("connection reset"), FailureClassifier.jdk());

    assertThat(counted).isTrue();
    assertThat(guard.breaker().state()).isEqualTo(CircuitState.OPEN);
    assertThat(events).containsExactly("failure network");
  }

  @Test
  void aCallThatReservedAFutureTokenWaitsForItBeforeItRuns() {
    Guard guard =
        guard(new RateLimiterConfig(10, 1, Duration.ofSeconds(1)), CircuitBreakerConfig.defaults());
    guard.admit().succeeded();
    assertThat(sleeps).as("the first token was there").isEmpty();

    guard.admit().succeeded();
    guard.admit().succeeded();

    assertThat(sleeps)
        .as("each waits for its own reserved token, in order")
        .containsExactly(100_000_000L, 200_000_000L);
  }

  @Test
  void anInterruptedWaitRejectsTheCallAndGivesTheProbeSlotBack() {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .sleeper(
                nanos -> {
                  throw new InterruptedException("stop");
                })
            .rateLimiterDefaults(new RateLimiterConfig(1, 1, Duration.ofSeconds(2)))
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder()
                    .failThreshold(1)
                    .cooldown(Duration.ofSeconds(5))
                    .minDwell(Duration.ZERO)
                    .build())
            .build();
    Guard guard = registry.guard("place_order", "exchange", false);
    guard.admit().failed("503"); // opens it, and takes the only token
    ticker.advance(Duration.ofSeconds(5)); // half-open; a token comes in 0 s... the bucket refilled
    guard.rateLimiter().tryAcquire(); // empty again: the probe must wait 1 s

    assertThatExceptionOfType(RateLimitedException.class).isThrownBy(guard::admit);

    assertThat(Thread.interrupted()).as("the interrupt flag is set again").isTrue();
    assertThat(guard.breaker().snapshot().probesInFlight())
        .as("the probe slot was given back")
        .isZero();
  }

  @Test
  void pastTheCapOnDistinctCodesTheListenersHearOtherAsTheBreakerCountsIt() {
    Guard guard =
        guard(
            new RateLimiterConfig(1000, 1000, Duration.ZERO),
            CircuitBreakerConfig.builder().failThreshold(1000).build());
    for (int i = 0; i < FailureCodes.MAX_DISTINCT + 2; i++) {
      guard.admit().failed("5" + String.format("%02d", i));
    }

    assertThat(events).hasSize(FailureCodes.MAX_DISTINCT + 2);
    assertThat(events.subList(0, FailureCodes.MAX_DISTINCT - 1)).doesNotContain("failure other");
    assertThat(events.subList(FailureCodes.MAX_DISTINCT - 1, events.size()))
        .containsOnly("failure other");
    assertThat(guard.breaker().snapshot().failureCodes())
        .hasSize(FailureCodes.MAX_DISTINCT)
        .containsEntry(FailureCodes.OTHER, 3L);
  }
}
