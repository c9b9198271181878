package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A guard with a bulkhead: a call takes a slot after its breaker permit and its token, and gives it
 * back however it ends (success, counted or ignored failure, abandonment, a throwing call); a call
 * the breaker or the bucket turns away takes none; a full bulkhead turns a call away without
 * counting a failure.
 */
class GuardBulkheadTest {

  private final FakeTicker ticker = new FakeTicker();

  private final ResilienceRegistry registry =
      ResilienceRegistry.builder()
          .ticker(ticker)
          .rateLimiterDefaults(new RateLimiterConfig(1, 100, Duration.ZERO))
          .bulkheadOverride("quotes", new BulkheadConfig(2, Duration.ZERO))
          .circuitBreakerDefaults(
              CircuitBreakerConfig.builder()
                  .failThreshold(10)
                  .cooldown(Duration.ofSeconds(5))
                  .minDwell(Duration.ZERO)
                  .build())
          .build();

  private final Guard quotes = registry.guard("quotes", "exchange", false);

  @Test
  void aFullBulkheadTurnsTheThirdCallAwayAndCountsNoFailure() {
    GuardedCall first = quotes.admit();
    GuardedCall second = quotes.admit();

    assertThatExceptionOfType(BulkheadFullException.class)
        .isThrownBy(quotes::admit)
        .satisfies(
            e -> {
              assertThat(e.endpoint()).isEqualTo("quotes");
              assertThat(e.maxConcurrent()).isEqualTo(2);
              assertThat(e.getMessage())
                  .isEqualTo("Bulkhead of 'quotes' is full: 2 calls are in flight already");
            });

    assertThat(quotes.bulkhead().inFlight()).isEqualTo(2);
    assertThat(quotes.breaker().snapshot().failuresInWindow()).isZero();
    assertThat(quotes.rateLimiter().availableTokens())
        .as("the rejected call's token stays spent")
        .isEqualTo(97.0);
    first.succeeded();
    second.succeeded();
    assertThat(quotes.bulkhead().inFlight()).isZero();
  }

  @Test
  void everyWayACallEndsGivesItsSlotBack() throws Exception {
    quotes.admit().succeeded();
    quotes.admit().failed("503");
    quotes.admit().failed(new IOException("reset"), FailureClassifier.jdk());
    quotes.admit().failed(new IllegalArgumentException("bad symbol"), FailureClassifier.jdk());
    quotes.admit().abandoned();
    assertThat(quotes.call(() -> "quote", FailureClassifier.jdk())).isEqualTo("quote");
    assertThatExceptionOfType(IOException.class)
        .isThrownBy(
            () ->
                quotes.call(
                    () -> {
                      throw new IOException("timeout");
                    },
                    FailureClassifier.jdk()));

    assertThat(quotes.bulkhead().inFlight()).isZero();
    assertThat(quotes.admit()).isNotNull();
    assertThat(quotes.admit()).isNotNull();
  }

  @Test
  void aCallTheBreakerOrTheBucketTurnsAwayTakesNoSlot() {
    Guard tight =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterDefaults(new RateLimiterConfig(1, 1, Duration.ZERO))
            .bulkheadDefaults(new BulkheadConfig(1, Duration.ZERO))
            .build()
            .guard("place_order", "exchange", false);
    tight.admit().succeeded();

    assertThatExceptionOfType(RateLimitedException.class).isThrownBy(tight::admit);
    assertThat(tight.bulkhead().inFlight()).isZero();

    tight.breaker().forceOpen();
    ticker.advance(Duration.ofSeconds(1));
    assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(tight::admit);
    assertThat(tight.bulkhead().inFlight()).isZero();
  }

  @Test
  void anEndpointWithoutBulkheadConfigHasNone() {
    Guard other = registry.guard("place_order", "exchange", false);

    assertThat(other.bulkhead()).isNull();
    assertThat(registry.bulkheadConfig("place_order")).isEqualTo(BulkheadConfig.none());
    AtomicInteger admitted = new AtomicInteger();
    for (int i = 0; i < 50; i++) {
      other.admit();
      admitted.incrementAndGet();
    }
    assertThat(admitted).hasValue(50);
  }
}
