package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardTest {

  private final FakeTicker ticker = new FakeTicker();
  private final List<String> events = new ArrayList<>();
  private final GuardListener recorder =
      new GuardListener() {
        @Override
        public void onSuccess(Guard guard) {
          events.add(guard.endpoint() + " success");
        }

        @Override
        public void onFailure(Guard guard, String code) {
          events.add(guard.endpoint() + " failure " + code);
        }

        @Override
        public void onIgnoredError(Guard guard, Throwable error) {
          events.add(guard.endpoint() + " ignored " + error.getClass().getSimpleName());
        }

        @Override
        public void onRejected(Guard guard, CallRejectedException rejection) {
          events.add(guard.endpoint() + " rejected " + rejection.getClass().getSimpleName());
        }

        @Override
        public void onBucketEmpty(Guard guard, long waitNanos, boolean admitted) {
          events.add(
              guard.endpoint()
                  + " bucket empty "
                  + (admitted ? "waited " : "rejected ")
                  + waitNanos);
        }
      };

  private ResilienceRegistry registry(RateLimiterConfig limits) {
    return ResilienceRegistry.builder()
        .ticker(ticker)
        .rateLimiterDefaults(limits)
        .circuitBreakerDefaults(
            CircuitBreakerConfig.builder()
                .failThreshold(2)
                .cooldown(Duration.ofSeconds(5))
                .minDwell(Duration.ZERO)
                .build())
        .build();
  }

  @Test
  void aCallRejectedByAnOpenBreakerTakesNoToken() {
    ResilienceRegistry registry = registry(new RateLimiterConfig(1, 3, Duration.ZERO));
    Guard guard = registry.guard("place_order", "exchange", false);
    guard.addListener(recorder);
    guard.breaker().forceOpen();

    assertThatExceptionOfType(CircuitOpenException.class)
        .isThrownBy(guard::admit)
        .satisfies(
            e -> {
              assertThat(e.endpoint()).isEqualTo("place_order");
              assertThat(e.breaker()).isEqualTo("exchange");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
              assertThat(e.getStackTrace()).as("rejections are cheap").isEmpty();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Circuit breaker 'exchange' rejected a call to 'place_order'; retry after 5000 ms");
            });
    assertThat(guard.rateLimiter().availableTokens()).isEqualTo(3.0);
    assertThat(events).containsExactly("place_order rejected CircuitOpenException");
  }

  @Test
  void aCallRejectedByTheBucketGivesItsProbeSlotBackAndIsNoFailure() {
    ResilienceRegistry registry = registry(new RateLimiterConfig(1, 1, Duration.ZERO));
    Guard guard = registry.guard("place_order", "exchange", false);
    guard.addListener(recorder);
    TimeWindowCircuitBreaker breaker = (TimeWindowCircuitBreaker) guard.breaker();
    breaker.onFailure(breaker.tryAcquirePermission(false), "503");
    breaker.onFailure(breaker.tryAcquirePermission(false), "503");
    ticker.advance(Duration.ofSeconds(5));
    guard.rateLimiter().tryAcquire(); // empty the bucket

    assertThatExceptionOfType(RateLimitedException.class)
        .isThrownBy(guard::admit)
        .satisfies(e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));

    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.snapshot().probesInFlight()).as("the probe slot was given back").isZero();
    assertThat(breaker.snapshot().failuresInWindow()).isEqualTo(2.0);
    assertThat(events)
        .containsExactly(
            "place_order bucket empty rejected 1000000000",
            "place_order rejected RateLimitedException");
  }

  @Test
  void aRateLimitedCallSaysWhichEndpointAndWhenToRetryRoundedUpToTheMillisecond() {
    Guard guard =
        registry(new RateLimiterConfig(3, 1, Duration.ZERO)).guard("quote", "pricing", false);
    guard.admit().succeeded(); // the only token

    assertThatExceptionOfType(RateLimitedException.class)
        .isThrownBy(guard::admit)
        .satisfies(
            e -> {
              assertThat(e.endpoint()).isEqualTo("quote");
              assertThat(e.retryAfterNanos())
                  .as("one interval, rounded up")
                  .isEqualTo(333_333_334L);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofNanos(333_333_334L));
              assertThat(e.getMessage())
                  .isEqualTo("Rate limit of 'quote' reached; retry after 334 ms");
              assertThat(e.getStackTrace()).as("rejections are cheap").isEmpty();
            });
  }

  @Test
  void aGuardShowsItsEndpointItsBreakerAndWhetherItIsAllowlisted() {
    ResilienceRegistry registry = registry(RateLimiterConfig.defaults());

    assertThat(registry.guard("place_order", "exchange", false))
        .hasToString("Guard{place_order, breaker=exchange}");
    assertThat(registry.guard("health", "exchange", true))
        .hasToString("Guard{health, breaker=exchange, allowlisted}");
  }

  @Test
  void aCallWaitsForItsReservedTokenWithinMaxWait() throws Exception {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .rateLimiterDefaults(new RateLimiterConfig(5, 1, Duration.ofSeconds(1)))
            .build();
    Guard guard = registry.guard("quote", "pricing", false);
    guard.addListener(recorder);
    assertThat(guard.call(() -> "first", FailureClassifier.jdk())).isEqualTo("first");

    assertThat(guard.call(() -> "second", FailureClassifier.jdk())).isEqualTo("second");

    assertThat(events).anySatisfy(e -> assertThat(e).startsWith("quote bucket empty waited "));
    assertThat(events.stream().filter(e -> e.startsWith("quote success"))).hasSize(2);
  }

  @Test
  void callReportsFailuresByCodeAndPassesTheExceptionThroughUnchanged() {
    Guard guard =
        registry(new RateLimiterConfig(100, 100, Duration.ZERO)).guard("quote", "pricing", false);
    guard.addListener(recorder);
    IOException refused = new java.net.ConnectException("refused");

    assertThatExceptionOfType(IOException.class)
        .isThrownBy(
            () ->
                guard.call(
                    () -> {
                      ticker.advance(Duration.ofMillis(3));
                      throw refused;
                    },
                    FailureClassifier.jdk()))
        .isSameAs(refused);

    assertThat(guard.breaker().snapshot().failureCodes()).containsEntry("network", 1L);
    assertThat(events).containsExactly("quote failure network");
  }

  @Test
  void anIgnoredErrorIsNeitherSuccessNorFailure() {
    Guard guard =
        registry(new RateLimiterConfig(100, 100, Duration.ZERO)).guard("quote", "pricing", false);
    guard.addListener(recorder);

    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(
            () ->
                guard.call(
                    () -> {
                      throw new IllegalArgumentException("bad symbol");
                    },
                    FailureClassifier.jdk()));

    assertThat(guard.breaker().snapshot().callsInWindow()).isZero();
    assertThat(events).containsExactly("quote ignored IllegalArgumentException");
  }

  @Test
  void aGuardedCallReadsTheClockOnceUnlessTheBreakerTimesCalls() {
    FakeTicker counting = new FakeTicker();
    int[] reads = {0};
    Ticker ticker =
        () -> {
          reads[0]++;
          return counting.read();
        };
    ResilienceRegistry untimed =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterDefaults(new RateLimiterConfig(100, 100, Duration.ZERO))
            .build();
    Guard guard = untimed.guard("quote", "pricing", false);
    reads[0] = 0; // creating the breaker and the bucket read the clock

    guard.admit().succeeded();

    assertThat(reads[0]).as("one reading, shared by the bucket and the window").isEqualTo(1);
    assertThat(guard.breaker().snapshot().callsInWindow()).isEqualTo(1);

    ResilienceRegistry timed =
        ResilienceRegistry.builder()
            .ticker(counting)
            .rateLimiterDefaults(new RateLimiterConfig(100, 100, Duration.ZERO))
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder().slowCallDuration(Duration.ofMillis(5)).build())
            .build();
    Guard timedGuard = timed.guard("quote", "pricing", false);
    GuardedCall call = timedGuard.admit();
    counting.advance(Duration.ofMillis(7));
    call.succeeded();
    assertThat(timedGuard.breaker().snapshot().failureCodes())
        .containsExactly(java.util.Map.entry("slow", 1L));
  }

  @Test
  void aSuccessSlowerThanTheSlowCallDurationReachesListenersAsASlowFailure() throws Exception {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder().slowCallDuration(Duration.ofSeconds(1)).build())
            .build();
    Guard guard = registry.guard("quote", "pricing", false);
    guard.addListener(recorder);

    guard.call(() -> ticker.advance(Duration.ofSeconds(1)), FailureClassifier.jdk());
    guard.call(() -> ticker.advance(Duration.ofMillis(999)), FailureClassifier.jdk());

    assertThat(events).containsExactly("quote failure slow", "quote success");
    assertThat(guard.breaker().snapshot().failureCodes())
        .containsExactly(java.util.Map.entry("slow", 1L));
  }

  @Test
  void aSuccessCountsFromItsEndWhenTheBreakerUsesAFailureRateAndFromItsStartOtherwise()
      throws Exception {
    CircuitBreakerConfig.Builder byWeight =
        CircuitBreakerConfig.builder().window(Duration.ofSeconds(16));
    CircuitBreakerConfig.Builder byRate = byWeight.build().toBuilder().failureRateThreshold(50.0);

    assertThat(callsInWindowEightSecondsAfterATwelveSecondSuccess(byRate.build()))
        .as("counted at its end")
        .isEqualTo(1);
    assertThat(callsInWindowEightSecondsAfterATwelveSecondSuccess(byWeight.build()))
        .as("counted at its start")
        .isZero();
  }

  /** A 16 s window of 1 s slices, a call that takes 12 s, looked at 8 s after it ended. */
  private static long callsInWindowEightSecondsAfterATwelveSecondSuccess(
      CircuitBreakerConfig breaker) throws Exception {
    FakeTicker clock = new FakeTicker();
    Guard guard =
        ResilienceRegistry.builder()
            .ticker(clock)
            .rateLimiterDefaults(new RateLimiterConfig(100, 100, Duration.ZERO))
            .circuitBreakerDefaults(breaker)
            .build()
            .guard("quote", "pricing", false);
    guard.call(() -> clock.advance(Duration.ofSeconds(12)), FailureClassifier.jdk());
    clock.advance(Duration.ofSeconds(8));
    return guard.breaker().snapshot().callsInWindow();
  }

  @Test
  void timeSpentWaitingForATokenNeverMakesACallSlow() throws Exception {
    // The system clock: the guard sleeps real time for its token. A 500 ms wait against a 250 ms
    // slow-call duration, with a call that takes microseconds.
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(Ticker.system())
            .rateLimiterDefaults(new RateLimiterConfig(2, 1, Duration.ofSeconds(1)))
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder().slowCallDuration(Duration.ofMillis(250)).build())
            .build();
    Guard guard = registry.guard("quote", "pricing", false);
    guard.call(() -> "first", FailureClassifier.jdk()); // takes the only token
    guard.addListener(recorder);

    assertThat(guard.call(() -> "second", FailureClassifier.jdk())).isEqualTo("second");

    assertThat(events).hasSize(2);
    assertThat(events.get(0)).startsWith("quote bucket empty waited ");
    assertThat(events.get(1)).isEqualTo("quote success");
    assertThat(guard.breaker().snapshot().failureCodes()).isEmpty();
  }

  @Test
  void endpointsShareTheBreakerTheyNameAndKeepTheirOwnBucket() {
    ResilienceRegistry registry = registry(new RateLimiterConfig(100, 100, Duration.ZERO));
    Guard place = registry.guard("place_order", "exchange", false);
    Guard cancel = registry.guard("cancel_order", "exchange", false);
    Guard health = registry.guard("health", "exchange", true);

    place.breaker().forceOpen();

    assertThat(cancel.breaker()).isSameAs(place.breaker());
    assertThat(cancel.rateLimiter()).isNotSameAs(place.rateLimiter());
    assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(cancel::admit);
    assertThat(health.admit()).as("allowlisted").isNotNull();
  }

  @Test
  void redeclaringAnEndpointDifferentlyFailsNamingBothDeclarations() {
    ResilienceRegistry registry = registry(RateLimiterConfig.defaults());
    Guard first = registry.guard("place_order", "exchange", false);

    assertThat(registry.guard("place_order", "exchange", false)).isSameAs(first);
    assertThatIllegalStateException()
        .isThrownBy(() -> registry.guard("place_order", "payments", false))
        .withMessageContaining("breaker 'exchange'")
        .withMessageContaining("breaker 'payments'");
    assertThatIllegalStateException()
        .isThrownBy(() -> registry.guard("place_order", "exchange", true))
        .withMessage(
            "Endpoint 'place_order' is declared twice differently: with breaker 'exchange' and with breaker"
                + " 'exchange' (allowlisted). An endpoint has one breaker, one allowlist flag and one kind"
                + " of bucket (one for all calls, or one per key): use the same values everywhere, or"
                + " give one of them another endpoint name.");
    assertThatIllegalStateException()
        .isThrownBy(() -> registry.keyedGuard("place_order", "exchange", false))
        .withMessageContaining("with breaker 'exchange' (a bucket per key).");
    registry.guard("health", "exchange", true);
    assertThatIllegalStateException()
        .isThrownBy(() -> registry.guard("health", "exchange", false))
        .withMessageStartingWith(
            "Endpoint 'health' is declared twice differently: with breaker 'exchange' (allowlisted) and with"
                + " breaker 'exchange'. ");
  }

  @Test
  void guardObserversSeeExistingAndLaterGuardsOnce() {
    ResilienceRegistry registry = registry(RateLimiterConfig.defaults());
    registry.guard("place_order", "exchange", false);
    List<String> seen = new ArrayList<>();

    registry.observeGuards(g -> seen.add(g.endpoint()));
    registry.guard("cancel_order", "exchange", false);
    registry.guard("cancel_order", "exchange", false);

    assertThat(seen).containsExactly("place_order", "cancel_order");
    assertThat(registry.guards().keySet()).containsExactly("cancel_order", "place_order");
  }

  private static final class TooManyRequests extends RuntimeException {
    final long pauseNanos;

    TooManyRequests(long pauseNanos) {
      super("429");
      this.pauseNanos = pauseNanos;
    }
  }

  private static final FailureClassifier COUNTS_429 =
      error -> error instanceof TooManyRequests ? "429" : null;

  private ResilienceRegistry pacedRegistry(RateLimiterConfig limits) {
    return ResilienceRegistry.builder()
        .ticker(ticker)
        .rateLimiterDefaults(limits)
        .downstreamPacing(
            error ->
                error instanceof TooManyRequests tooMany
                    ? tooMany.pauseNanos
                    : DownstreamPacing.NONE)
        .build();
  }

  private static void failWith(Guard guard, RuntimeException error) {
    assertThatExceptionOfType(RuntimeException.class)
        .isThrownBy(
            () ->
                guard.call(
                    () -> {
                      throw error;
                    },
                    COUNTS_429))
        .isSameAs(error);
  }

  @Test
  void aCountedFailureThatAsksForAPauseHoldsTheBucketEmptyUntilThen() {
    Guard guard =
        pacedRegistry(new RateLimiterConfig(10, 10, Duration.ZERO))
            .guard("place_order", "exchange", false);
    guard.addListener(recorder);
    List<Long> pauses = new ArrayList<>();
    guard.addListener(
        new GuardListener() {
          @Override
          public void onDownstreamPause(Guard paused, long untilNanos) {
            pauses.add(untilNanos);
          }
        });
    long start = ticker.read();

    failWith(guard, new TooManyRequests(Duration.ofSeconds(2).toNanos()));

    assertThat(pauses).containsExactly(start + Duration.ofSeconds(2).toNanos());
    assertThat(guard.downstreamPauseNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    ticker.advance(Duration.ofMillis(500));
    assertThatExceptionOfType(RateLimitedException.class)
        .isThrownBy(guard::admit)
        .satisfies(e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500)));
    ticker.advance(Duration.ofMillis(1500));
    assertThat(guard.downstreamPauseNanos()).isZero();
    guard.admit().succeeded();
  }

  @Test
  void aCallThatMayWaitWaitsForTheEndOfThePause() {
    List<Long> waits = new ArrayList<>();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .sleeper(waits::add)
            .rateLimiterDefaults(new RateLimiterConfig(10, 10, Duration.ofSeconds(3)))
            .downstreamPacing(error -> Duration.ofSeconds(2).toNanos())
            .build();
    Guard guard = registry.guard("place_order", "exchange", false);

    failWith(guard, new TooManyRequests(0));
    guard.admit().succeeded();

    assertThat(waits).containsExactly(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void pausesAreCutToAnHourAndNoneOrNegativeOnesPauseNothing() {
    Guard guard =
        pacedRegistry(new RateLimiterConfig(10, 10, Duration.ZERO))
            .guard("place_order", "exchange", false);

    failWith(guard, new TooManyRequests(-5));
    failWith(guard, new TooManyRequests(0));
    assertThat(guard.downstreamPauseNanos()).isZero();
    guard.admit().succeeded();

    failWith(guard, new TooManyRequests(Duration.ofDays(2).toNanos()));
    assertThat(guard.downstreamPauseNanos()).isEqualTo(Duration.ofHours(1).toNanos());
  }

  @Test
  void anIgnoredErrorPausesNothing() {
    Guard guard =
        pacedRegistry(new RateLimiterConfig(10, 10, Duration.ZERO))
            .guard("place_order", "exchange", false);

    assertThat(
            guard.admit().failed(new TooManyRequests(Duration.ofSeconds(2).toNanos()), e -> null))
        .isFalse();

    assertThat(guard.downstreamPauseNanos()).isZero();
    guard.admit().succeeded();
  }

  @Test
  void aKeyedEndpointIsPausedForEveryKeyAndAfterwardsEachKeyHasItsOwnBucketAgain() {
    Guard keyed =
        pacedRegistry(new RateLimiterConfig(10, 1, Duration.ZERO))
            .keyedGuard("quotes", "exchange", false);
    List<Long> pauses = new ArrayList<>();
    keyed.addListener(
        new GuardListener() {
          @Override
          public void onDownstreamPause(Guard paused, long untilNanos) {
            pauses.add(untilNanos);
          }
        });
    long start = ticker.read();

    assertThatExceptionOfType(TooManyRequests.class)
        .isThrownBy(
            () ->
                keyed.call(
                    "alice",
                    () -> {
                      throw new TooManyRequests(Duration.ofSeconds(2).toNanos());
                    },
                    COUNTS_429));

    assertThat(pauses).containsExactly(start + Duration.ofSeconds(2).toNanos());
    ticker.advance(Duration.ofSeconds(1));
    assertThatExceptionOfType(RateLimitedException.class)
        .isThrownBy(() -> keyed.admit("bob"))
        .satisfies(e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
    ticker.advance(Duration.ofSeconds(1));
    keyed.admit("bob").succeeded();
    keyed.admit("carol").succeeded();
    assertThatExceptionOfType(RateLimitedException.class)
        .as("bob's own bucket of one")
        .isThrownBy(() -> keyed.admit("bob"));
  }

  @Test
  void aKeyedCallThatMayWaitWaitsForThePauseThenForItsKeysToken() {
    List<Long> waits = new ArrayList<>();
    Guard keyed =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .sleeper(waits::add)
            .rateLimiterDefaults(new RateLimiterConfig(1, 1, Duration.ofSeconds(5)))
            .downstreamPacing(error -> Duration.ofSeconds(2).toNanos())
            .build()
            .keyedGuard("quotes", "exchange", false);
    keyed.admit("bob").succeeded(); // bob's one token: his next comes 1 s from now

    keyed.admit("alice").failed(new TooManyRequests(0), COUNTS_429);
    for (int i = 0; i < 4; i++) {
      keyed.admit("bob").succeeded();
    }

    assertThat(waits)
        .as("the pause, then bob's tokens a second apart, up to max-wait")
        .containsExactly(
            Duration.ofSeconds(2).toNanos(),
            Duration.ofSeconds(3).toNanos(),
            Duration.ofSeconds(4).toNanos(),
            Duration.ofSeconds(5).toNanos());
    assertThatExceptionOfType(RateLimitedException.class)
        .isThrownBy(() -> keyed.admit("bob"))
        .satisfies(e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(6)));
  }
}
