package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code resilience.timeout.*} (SPEC §12): CompletionStage and Reactor calls that outlive their
 * timeout fail with a {@code TimeoutException} counted as {@code timeout}; a timeout set for an
 * endpoint whose methods are all synchronous stops start-up, since it could never act.
 */
class TimeoutTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(QuoteFeed.class)
          .withBean(ExchangeClient.class);

  @Test
  void aMonoThatOutlivesItsTimeoutFailsWithATimeoutCountedAsTimeout() {
    runner
        .withPropertyValues(
            "resilience.timeout.duration=10s",
            "resilience.timeout.endpoint-overrides.quotes.duration=2s")
        .run(
            context -> {
              QuoteFeed feed = context.getBean(QuoteFeed.class);
              feed.answerQuotesWith(symbol -> Mono.never());

              StepVerifier.withVirtualTime(() -> feed.quote("BTC"))
                  .expectSubscription()
                  .expectNoEvent(Duration.ofMillis(1999))
                  .thenAwait(Duration.ofMillis(1))
                  .expectErrorSatisfies(
                      e ->
                          assertThat(e)
                              .isInstanceOf(TimeoutException.class)
                              .hasMessage(
                                  "Call to 'quotes' did not end within its timeout of 2000 ms"
                                      + " (resilience.timeout)"))
                  .verify(Duration.ofSeconds(5));

              assertThat(
                      context
                          .getBean(ResilienceRegistry.class)
                          .circuitBreaker("exchange")
                          .snapshot()
                          .failureCodes())
                  .containsExactly(Map.entry("timeout", 1L));
            });
  }

  @Test
  void aFluxHasOneDeadlineForTheWholeCallNotOnePerItem() {
    runner
        .withPropertyValues("resilience.timeout.endpoint-overrides.ticks.duration=2500ms")
        .run(
            context -> {
              QuoteFeed feed = context.getBean(QuoteFeed.class);
              feed.answerTicksWith(
                  symbol -> Flux.interval(Duration.ofSeconds(1)).map(i -> symbol + " " + i));

              StepVerifier.withVirtualTime(() -> feed.ticks("ETH"))
                  .expectSubscription()
                  .thenAwait(Duration.ofSeconds(2))
                  .expectNext("ETH 0", "ETH 1")
                  .thenAwait(Duration.ofMillis(500))
                  .expectError(TimeoutException.class)
                  .verify(Duration.ofSeconds(5));
            });
  }

  @Test
  void aFastCallIsNotAffectedAndEndpointsWithoutTimeoutWait() {
    runner
        .withPropertyValues("resilience.timeout.endpoint-overrides.quotes.duration=2s")
        .run(
            context -> {
              QuoteFeed feed = context.getBean(QuoteFeed.class);
              StepVerifier.create(feed.quote("A")).expectNext("quote A").verifyComplete();
              feed.answerTicksWith(
                  symbol -> Flux.interval(Duration.ofSeconds(1)).take(3).map(i -> "t" + i));
              StepVerifier.withVirtualTime(() -> feed.ticks("X"))
                  .thenAwait(Duration.ofSeconds(3))
                  .expectNext("t0", "t1", "t2")
                  .verifyComplete();
            });
  }

  @Test
  void aStageThatOutlivesItsTimeoutFailsWithATimeoutCountedAsTimeout() {
    runner
        .withPropertyValues("resilience.timeout.endpoint-overrides.async_quote.duration=50ms")
        .run(
            context -> {
              ExchangeClient client = context.getBean(ExchangeClient.class);
              client.answerWith(new CompletableFuture<>());

              CompletableFuture<String> late = client.asyncQuote("BTC");

              assertThatExceptionOfType(ExecutionException.class)
                  .isThrownBy(() -> late.get(5, TimeUnit.SECONDS))
                  .havingCause()
                  .isInstanceOf(TimeoutException.class)
                  .withMessage(
                      "Call to 'async_quote' did not end within its timeout of 50 ms"
                          + " (resilience.timeout)");
              assertThat(
                      context
                          .getBean(ResilienceRegistry.class)
                          .circuitBreaker("async_quote")
                          .snapshot()
                          .failureCodes())
                  .containsExactly(Map.entry("timeout", 1L));

              client.answerWith(CompletableFuture.completedFuture("quote"));
              assertThat(client.asyncQuote("ETH").get(5, TimeUnit.SECONDS)).isEqualTo("quote");
            });
  }

  @Test
  void aTimeoutForAnEndpointWhoseMethodsAreAllSynchronousStopsStartUp() {
    runner
        .withPropertyValues("resilience.timeout.endpoint-overrides.place_order.duration=2s")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on ExchangeClient.place(String):"
                          + " resilience.timeout.endpoint-overrides.place_order.duration sets a timeout for endpoint"
                          + " 'place_order', but its methods are all synchronous, and a synchronous call is never"
                          + " interrupted");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Remove the timeout and set the HTTP client's own connect and read timeouts for this"
                          + " endpoint, or return a CompletionStage, Mono or Flux from its methods.");
            });
  }

  @Test
  void aDefaultTimeoutLeavesSynchronousEndpointsAlone() {
    runner
        .withPropertyValues("resilience.timeout.duration=1s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(ExchangeClient.class).place("BTC"))
                  .isEqualTo("placed BTC");
            });
  }
}
