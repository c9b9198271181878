package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A guard with an adaptive limit in place of a bulkhead: the slot is taken after the permit and the
 * token, a call that finds the limit reached is turned away at once, and every way a call ends
 * reports to the limit exactly once with the call's round-trip time.
 */
class GuardAdaptiveLimitTest {

  private final FakeTicker ticker = new FakeTicker();

  private final ResilienceRegistry registry =
      ResilienceRegistry.builder()
          .ticker(ticker)
          .rateLimiterDefaults(new RateLimiterConfig(1, 1000, Duration.ZERO))
          .adaptiveLimitOverride("quotes", AdaptiveLimitConfig.defaults().withLimits(1, 10, 2))
          .circuitBreakerDefaults(
              CircuitBreakerConfig.builder()
                  .failThreshold(1000)
                  .cooldown(Duration.ofSeconds(5))
                  .minDwell(Duration.ZERO)
                  .build())
          .build();

  private final Guard quotes = registry.guard("quotes", "exchange", false);

  @Test
  void whenTheLimitIsReachedThenTheNextCallIsTurnedAwayAtOnceAndCountsNoFailure() {
    GuardedCall first = quotes.admit();
    GuardedCall second = quotes.admit();

    assertThatExceptionOfType(BulkheadFullException.class)
        .isThrownBy(quotes::admit)
        .satisfies(
            e -> {
              assertThat(e.endpoint()).isEqualTo("quotes");
              assertThat(e.adaptive()).isTrue();
              assertThat(e.maxConcurrent()).isEqualTo(2);
              assertThat(e.retryAfter()).isZero();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Adaptive concurrency limit of 'quotes' is reached: 2 calls are in flight"
                          + " already (the limit in force, which moves with the downstream's"
                          + " answers)");
            });

    assertThat(quotes.bulkhead()).isNull();
    assertThat(quotes.adaptiveLimit().inFlight()).isEqualTo(2);
    assertThat(quotes.breaker().snapshot().failuresInWindow()).isZero();
    first.succeeded();
    second.succeeded();
    assertThat(quotes.adaptiveLimit().inFlight()).isZero();
  }

  @Test
  void whenACallEndsAnyWayThenItsSlotGoesBackOnce() throws Exception {
    AdaptiveLimit limit = quotes.adaptiveLimit();

    quotes.admit().succeeded();
    assertThat(limit.inFlight()).isZero();
    quotes.admit().failed("503");
    assertThat(limit.inFlight()).isZero();
    quotes.admit().failed(new IOException("reset"), FailureClassifier.jdk());
    assertThat(limit.inFlight()).isZero();
    quotes.admit().failed(new IllegalArgumentException("bad symbol"), FailureClassifier.jdk());
    assertThat(limit.inFlight()).isZero();
    quotes.admit().abandoned();
    assertThat(limit.inFlight()).isZero();
    assertThat(quotes.call(() -> "quote", FailureClassifier.jdk())).isEqualTo("quote");
    assertThatExceptionOfType(IOException.class)
        .isThrownBy(
            () ->
                quotes.call(
                    () -> {
                      throw new IOException("timeout");
                    },
                    FailureClassifier.jdk()));
    assertThat(limit.inFlight()).isZero();

    Reservation cancelled = quotes.reserve(null);
    assertThat(limit.inFlight()).as("a reserved call holds no slot").isZero();
    cancelled.cancel();
    assertThat(limit.inFlight()).isZero();
    GuardedCall admitted = quotes.reserve(null).admit();
    assertThat(limit.inFlight()).isEqualTo(1);
    admitted.abandoned();
    assertThat(limit.inFlight()).isZero();

    GuardedCall reported = quotes.admit();
    reported.succeeded();
    assertThatExceptionOfType(IllegalStateException.class).isThrownBy(reported::abandoned);
    assertThat(limit.inFlight()).as("a second report gives no second slot back").isZero();
  }

  @Test
  void whenCallsFailCountedThenTheLimitShrinksOncePerGenerationAndSaysWhy() {
    Guard orders =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterDefaults(new RateLimiterConfig(1, 1000, Duration.ZERO))
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder().failThreshold(1000).minDwell(Duration.ZERO).build())
            .adaptiveLimitDefaults(AdaptiveLimitConfig.defaults())
            .build()
            .guard("place_order", "exchange", false);
    AdaptiveLimit limit = orders.adaptiveLimit();
    assertThat(limit.limit()).isEqualTo(20);

    List<GuardedCall> generation = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      generation.add(orders.admit());
    }
    ticker.advance(Duration.ofMillis(40));
    generation.forEach(call -> call.failed("503"));

    assertThat(limit.limit()).as("ten drops of one generation back off once").isEqualTo(18);
    assertThat(limit.lastChange().reason()).isEqualTo("drop: 503");
    assertThat(limit.lastChange().oldLimit()).isEqualTo(20);

    ticker.advance(Duration.ofMillis(1));
    GuardedCall next = orders.admit();
    ticker.advance(Duration.ofMillis(40));
    next.failed(new IOException("read timed out"), FailureClassifier.jdk());
    assertThat(limit.limit()).isEqualTo(16);
    assertThat(limit.lastChange().reason()).isEqualTo("drop: network");
    assertThat(limit.inFlight()).isZero();
  }

  @Test
  void whenSuccessesComeWithHalfTheLimitInUseThenTheLimitGrowsBack() {
    AdaptiveLimit limit = quotes.adaptiveLimit();
    GuardedCall first = quotes.admit();
    GuardedCall second = quotes.admit();
    ticker.advance(Duration.ofMillis(10));
    first.succeeded();
    second.succeeded();

    assertThat(limit.limit()).as("in use 2 of 2 grows it; then 1 of 3 does not").isEqualTo(3);
    assertThat(limit.shortRttNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
  }

  @Test
  void whenASuccessIsSlowerThanTheBreakersSlowCallDurationThenItCountsAsADrop() {
    Guard slow =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterDefaults(new RateLimiterConfig(1, 1000, Duration.ZERO))
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder()
                    .failThreshold(1000)
                    .slowCallDuration(Duration.ofSeconds(1))
                    .build())
            .adaptiveLimitDefaults(AdaptiveLimitConfig.defaults())
            .build()
            .guard("quotes", "exchange", false);
    GuardedCall call = slow.admit();
    ticker.advance(Duration.ofSeconds(2));
    call.succeeded();

    assertThat(slow.adaptiveLimit().limit()).isEqualTo(18);
    assertThat(slow.adaptiveLimit().lastChange().reason()).isEqualTo("drop: slow");
    assertThat(slow.adaptiveLimit().shortRttNanos()).as("a drop is no RTT sample").isZero();
  }

  @Test
  void whenBothABulkheadAndAnAdaptiveLimitAreSetThenTheGuardIsRefused() {
    ResilienceRegistry both =
        ResilienceRegistry.builder()
            .bulkheadDefaults(new BulkheadConfig(4, Duration.ZERO))
            .adaptiveLimitOverride("quotes", AdaptiveLimitConfig.defaults())
            .build();

    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> both.guard("quotes", "exchange", false))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("maxConcurrent");
              assertThat(e.value()).isEqualTo("4");
            })
        .withMessageContaining(
            "0 for endpoint 'quotes', which has an adaptive limit: the adaptive limit replaces"
                + " the bulkhead's fixed maxConcurrent");
    assertThat(both.guard("other", "exchange", false).bulkhead()).isNotNull();
  }

  @Test
  void whenNoAdaptiveLimitIsSetOrItIsTurnedOffThenTheEndpointHasNone() {
    ResilienceRegistry offForOne =
        ResilienceRegistry.builder()
            .adaptiveLimitDefaults(AdaptiveLimitConfig.defaults())
            .adaptiveLimitOverride("health_probe", null)
            .build();

    assertThat(registry.adaptiveLimitConfig("place_order")).isNull();
    assertThat(registry.guard("place_order", "exchange", false).adaptiveLimit()).isNull();
    assertThat(offForOne.adaptiveLimitConfig("health_probe")).isNull();
    assertThat(offForOne.guard("health_probe", "exchange", false).adaptiveLimit()).isNull();
    assertThat(offForOne.guard("quotes", "exchange", false).adaptiveLimit()).isNotNull();
  }

  @Test
  void whenEightThreadsCallAtOnceThenNoMoreThanTheLimitAreEverInFlight() throws Exception {
    Guard shared =
        ResilienceRegistry.builder()
            .rateLimiterDefaults(new RateLimiterConfig(1_000_000, 1_000_000, Duration.ZERO))
            .circuitBreakerDefaults(CircuitBreakerConfig.builder().failThreshold(1_000_000).build())
            .adaptiveLimitDefaults(AdaptiveLimitConfig.defaults().withLimits(1, 3, 3))
            .build()
            .guard("quotes", "exchange", false);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 2_000; i++) {
                    boolean fail = (i + thread) % 7 == 0;
                    try {
                      shared.call(
                          () -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            if (fail) {
                              throw new IOException("503 from upstream");
                            }
                            return thread;
                          },
                          FailureClassifier.jdk());
                    } catch (BulkheadFullException e) {
                      rejected.incrementAndGet();
                    } catch (IOException expected) {
                      // a counted failure: the limit shrinks
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(most.get()).isBetween(1, 3);
    assertThat(shared.adaptiveLimit().inFlight()).isZero();
    assertThat(shared.adaptiveLimit().limit()).isBetween(1, 3);
  }
}
