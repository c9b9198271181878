package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Ticker;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code @Guarded} on {@code Mono} and {@code Flux} (SPEC §12): admission on subscription, outcome
 * on the terminal signal, cancellation without an outcome, rejections as error signals, token waits
 * as delays that block no thread, fallbacks inside the publisher, slow calls timed from
 * subscription.
 */
class ReactiveGuardedTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(QuoteFeed.class)
          .withPropertyValues(
              "resilience.breaker.fail-threshold=3",
              "resilience.breaker.cooldown=10s",
              "resilience.breaker.min-dwell=0s",
              "resilience.rate-limiter.capacity-per-second=1",
              "resilience.rate-limiter.burst=5",
              "resilience.rate-limiter.max-wait=0s");

  private void run(Consumer<Fixture> test, String... properties) {
    runner.withPropertyValues(properties).run(context -> test.accept(new Fixture(context)));
  }

  record Fixture(AssertableApplicationContext context) {
    QuoteFeed feed() {
      return context.getBean(QuoteFeed.class);
    }

    ResilienceRegistry registry() {
      return context.getBean(ResilienceRegistry.class);
    }

    CircuitBreaker breaker(String name) {
      return registry().circuitBreaker(name);
    }

    Guard guard(String endpoint) {
      return registry().guards().get(endpoint);
    }

    TestTicker ticker() {
      return (TestTicker) context.getBean(Ticker.class);
    }
  }

  private static WebClientResponseException status(int code) {
    return WebClientResponseException.create(
        code, "status " + code, new HttpHeaders(), new byte[0], StandardCharsets.UTF_8);
  }

  @Test
  void withoutReactorSynchronousGuardsStillWork() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                AopAutoConfiguration.class,
                ResilienceAutoConfiguration.class,
                ResilienceAspectAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("reactor."))
        .withBean(ExchangeClient.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(ExchangeClient.class).place("BTC-USD"))
                  .isEqualTo("placed BTC-USD");
              assertThat(
                      context
                          .getBean(ResilienceRegistry.class)
                          .circuitBreaker("exchange")
                          .snapshot()
                          .callsInWindow())
                  .isEqualTo(1);
            });
  }

  @Test
  void callingTheMethodAdmitsNothingAndARejectionIsAnErrorSignalOnSubscription() {
    run(
        f -> {
          f.breaker("exchange").forceOpen();

          Mono<String> quote = f.feed().quote("BTC-USD");

          assertThat(f.feed().calls()).as("assembly runs nothing").isZero();
          StepVerifier.create(quote)
              .expectErrorSatisfies(
                  e ->
                      assertThat(e)
                          .isInstanceOf(CircuitOpenException.class)
                          .hasMessage(
                              "Circuit breaker 'exchange' rejected a call to 'quotes'; retry after 10000 ms"))
              .verify(Duration.ofSeconds(5));
          assertThat(f.feed().calls()).as("the method never ran").isZero();
          assertThat(f.registry().rateLimiter("quotes").availableTokens()).isEqualTo(5.0);
        });
  }

  @Test
  void eachSubscriptionIsANewGuardedCallSoRetriesCountAndOpenTheBreaker() {
    run(
        f -> {
          f.feed().answerQuotesWith(symbol -> Mono.error(status(503)));

          StepVerifier.create(f.feed().quote("BTC-USD").retry(5))
              .expectError(CircuitOpenException.class)
              .verify(Duration.ofSeconds(5));

          assertThat(f.feed().calls()).as("three failures open the breaker").isEqualTo(3);
          assertThat(f.breaker("exchange").state()).isEqualTo(CircuitState.OPEN);
          assertThat(f.breaker("exchange").snapshot().failureCodes())
              .containsExactly(Map.entry("503", 3L));
          assertThat(f.registry().rateLimiter("quotes").availableTokens())
              .as("three calls took three tokens; the rejected ones none")
              .isEqualTo(2.0);
        });
  }

  @Test
  void aFluxSucceedsOnCompletionAndFailsOnItsErrorAfterSomeItems() {
    run(
        f -> {
          StepVerifier.create(f.feed().ticks("ETH"))
              .expectNext("ETH 1", "ETH 2", "ETH 3")
              .verifyComplete();
          assertThat(f.breaker("exchange").snapshot().callsInWindow()).isEqualTo(1);
          assertThat(f.breaker("exchange").snapshot().failuresInWindow()).isZero();

          f.feed()
              .answerTicksWith(
                  symbol -> Flux.just(symbol + " 1").concatWith(Flux.error(status(502))));
          StepVerifier.create(f.feed().ticks("ETH"))
              .expectNext("ETH 1")
              .expectError(WebClientResponseException.class)
              .verify(Duration.ofSeconds(5));
          assertThat(f.breaker("exchange").snapshot().failureCodes())
              .containsExactly(Map.entry("502", 1L));
        });
  }

  @Test
  void aReactorTimeoutCountsAsTimeoutAndAClientErrorDoesNotCount() {
    run(
        f -> {
          f.feed().answerQuotesWith(symbol -> Mono.<String>never().timeout(Duration.ofMillis(20)));
          StepVerifier.create(f.feed().quote("BTC-USD"))
              .expectError(java.util.concurrent.TimeoutException.class)
              .verify(Duration.ofSeconds(5));

          f.feed().answerQuotesWith(symbol -> Mono.error(status(404)));
          StepVerifier.create(f.feed().quote("NOPE"))
              .expectError(WebClientResponseException.NotFound.class)
              .verify(Duration.ofSeconds(5));

          assertThat(f.breaker("exchange").snapshot().failureCodes())
              .containsExactly(Map.entry("timeout", 1L));
        });
  }

  @Test
  void aCancelledCallGivesItsBulkheadSlotAndPermitBackWithoutAnOutcome() {
    run(
        f -> {
          f.feed().answerQuotesWith(symbol -> Mono.never());
          Guard quotes = f.guard("quotes");

          Disposable first = f.feed().quote("BTC-USD").subscribe();
          assertThat(quotes.bulkhead().inFlight()).isEqualTo(1);
          StepVerifier.create(f.feed().quote("ETH"))
              .expectErrorSatisfies(
                  e ->
                      assertThat(e)
                          .isInstanceOf(BulkheadFullException.class)
                          .hasMessage(
                              "Bulkhead of 'quotes' is full: 1 calls are in flight already"))
              .verify(Duration.ofSeconds(5));

          first.dispose();

          assertThat(quotes.bulkhead().inFlight()).isZero();
          assertThat(f.breaker("exchange").snapshot().callsInWindow())
              .as("no outcome for a cancelled call")
              .isZero();
          f.feed().answerQuotesWith(symbol -> Mono.just("quote " + symbol));
          StepVerifier.create(f.feed().quote("ETH")).expectNext("quote ETH").verifyComplete();
          assertThat(quotes.bulkhead().inFlight()).isZero();
        },
        "resilience.bulkhead.endpoint-overrides.quotes.max-concurrent=1");
  }

  @Test
  void aSlotComesBackOnEveryPathOfAReactiveCall() {
    run(
        f -> {
          Guard ticks = f.guard("ticks");
          f.feed().answerTicksWith(symbol -> Flux.just("a", "b", "c"));
          StepVerifier.create(f.feed().ticks("X").take(1)).expectNext("a").verifyComplete();
          f.feed().answerTicksWith(symbol -> Flux.error(status(503)));
          StepVerifier.create(f.feed().ticks("X")).expectError().verify(Duration.ofSeconds(5));
          f.feed().answerTicksWith(symbol -> Flux.error(new IllegalArgumentException("bad")));
          StepVerifier.create(f.feed().ticks("X")).expectError().verify(Duration.ofSeconds(5));
          f.feed()
              .answerTicksWith(
                  symbol -> {
                    throw new IllegalStateException("thrown by the method itself");
                  });
          StepVerifier.create(f.feed().ticks("X"))
              .expectErrorMessage("thrown by the method itself")
              .verify(Duration.ofSeconds(5));
          f.feed().answerTicksWith(symbol -> Flux.just("a"));
          StepVerifier.create(f.feed().ticks("X")).expectNext("a").verifyComplete();

          assertThat(ticks.bulkhead().inFlight()).isZero();
          assertThat(f.breaker("exchange").snapshot().failureCodes())
              .containsExactly(Map.entry("503", 1L));
        },
        "resilience.bulkhead.endpoint-overrides.ticks.max-concurrent=1");
  }

  @Test
  void aTokenWaitDelaysTheSubscriptionWithoutBlockingAndACancelDuringItMakesNoCall() {
    run(
        f -> {
          Mono<String> first = f.feed().quote("A");
          StepVerifier.create(first).expectNext("quote A").verifyComplete();
          assertThat(f.feed().calls()).isEqualTo(1);

          StepVerifier.withVirtualTime(() -> f.feed().quote("B"))
              .expectSubscription()
              .expectNoEvent(Duration.ofMillis(999))
              .then(() -> assertThat(f.feed().calls()).as("still waiting").isEqualTo(1))
              .thenAwait(Duration.ofMillis(1))
              .expectNext("quote B")
              .verifyComplete();

          StepVerifier.withVirtualTime(() -> f.feed().quote("C"))
              .expectSubscription()
              .thenAwait(Duration.ofMillis(500))
              .thenCancel()
              .verify(Duration.ofSeconds(5));
          assertThat(f.feed().calls()).as("cancelled while waiting: no call").isEqualTo(2);
          assertThat(f.breaker("exchange").snapshot().callsInWindow()).isEqualTo(2);
        },
        "resilience.rate-limiter.burst=1",
        "resilience.rate-limiter.max-wait=5s");
  }

  @Test
  void demandMadeDuringTheTokenWaitReachesTheMethodsPublisherItemByItem() {
    run(
        f -> {
          f.feed().answerTicksWith(symbol -> Flux.range(1, 5).map(i -> symbol + " " + i));
          StepVerifier.create(f.feed().ticks("A")).expectNextCount(5).verifyComplete();

          StepVerifier.withVirtualTime(() -> f.feed().ticks("B"), 2)
              .expectSubscription()
              .expectNoEvent(Duration.ofMillis(999))
              .thenAwait(Duration.ofMillis(1))
              .expectNext("B 1", "B 2")
              .expectNoEvent(Duration.ofSeconds(1))
              .thenRequest(3)
              .expectNext("B 3", "B 4", "B 5")
              .verifyComplete();
          assertThat(f.breaker("exchange").snapshot().callsInWindow()).isEqualTo(2);
        },
        "resilience.rate-limiter.burst=1",
        "resilience.rate-limiter.max-wait=5s");
  }

  @Test
  void theSubscribersContextReachesTheMethodsPublisher() {
    run(
        f -> {
          f.feed()
              .answerQuotesWith(
                  symbol ->
                      Mono.deferContextual(
                          context -> Mono.just(symbol + " for " + context.get("tenant"))));
          StepVerifier.create(f.feed().quote("A").contextWrite(c -> c.put("tenant", "acme")))
              .expectNext("A for acme")
              .verifyComplete();
        });
  }

  @Test
  void aCancelDuringTheTokenWaitGivesTheProbeSlotBack() {
    run(
        f -> {
          f.feed().answerQuotesWith(symbol -> Mono.error(status(503)));
          for (int i = 0; i < 3; i++) {
            StepVerifier.create(f.feed().quote("A")).expectError().verify(Duration.ofSeconds(5));
          }
          f.ticker().advance(Duration.ofSeconds(10));
          assertThat(f.breaker("exchange").state()).isEqualTo(CircuitState.HALF_OPEN);
          f.registry().rateLimiter("quotes").tryAcquire(); // empty: the probe must wait

          StepVerifier.withVirtualTime(() -> f.feed().quote("B"))
              .expectSubscription()
              .then(
                  () -> assertThat(f.breaker("exchange").snapshot().probesInFlight()).isEqualTo(1))
              .thenCancel()
              .verify(Duration.ofSeconds(5));

          assertThat(f.breaker("exchange").snapshot().probesInFlight()).isZero();
          assertThat(f.feed().calls()).isEqualTo(3);
        },
        "resilience.rate-limiter.burst=1",
        "resilience.rate-limiter.max-wait=5s");
  }

  @Test
  void anEmptyBucketRejectsWithAnErrorSignal() {
    run(
        f -> {
          f.registry().rateLimiter("quotes").tryAcquire();
          StepVerifier.create(f.feed().quote("A"))
              .expectError(RateLimitedException.class)
              .verify(Duration.ofSeconds(5));
          assertThat(f.feed().calls()).isZero();
        },
        "resilience.rate-limiter.burst=1");
  }

  @Test
  void aCountedFailureInsideThePublisherOrARejectionGoesToTheFallback() {
    run(
        f -> {
          f.feed().answerQuotesWith(symbol -> Mono.error(status(503)));
          StepVerifier.create(f.feed().quoteOrCached("BTC"))
              .expectNext("cached BTC after ServiceUnavailable")
              .verifyComplete();

          f.feed().answerQuotesWith(symbol -> Mono.error(status(404)));
          StepVerifier.create(f.feed().quoteOrCached("BTC"))
              .as("a failure that does not count reaches the caller")
              .expectError(WebClientResponseException.NotFound.class)
              .verify(Duration.ofSeconds(5));

          f.breaker("quote_fallback").forceOpen();
          StepVerifier.create(f.feed().quoteOrCached("BTC"))
              .expectNext("cached BTC after CircuitOpenException")
              .verifyComplete();

          f.feed().answerTicksWith(symbol -> Flux.error(status(503)));
          StepVerifier.create(f.feed().ticksOrNone("BTC"))
              .expectNext("no ticks for BTC")
              .verifyComplete();
        });
  }

  @Test
  void aSlowCallIsTimedFromSubscriptionToTerminationNotFromTheMethodCall() {
    run(
        f -> {
          f.feed()
              .answerQuotesWith(
                  symbol ->
                      Mono.fromCallable(
                          () -> {
                            f.ticker().advance(Duration.ofMillis(1500));
                            return "slow " + symbol;
                          }));
          Mono<String> slow = f.feed().quote("A");
          StepVerifier.create(slow).expectNext("slow A").verifyComplete();

          f.feed().answerQuotesWith(symbol -> Mono.just("fast " + symbol));
          Mono<String> assembledEarly = f.feed().quote("B");
          f.ticker().advance(Duration.ofSeconds(5)); // between assembly and subscription
          StepVerifier.create(assembledEarly).expectNext("fast B").verifyComplete();

          assertThat(f.breaker("exchange").snapshot().failureCodes())
              .containsExactly(Map.entry("slow", 1L));
        },
        "resilience.breaker.slow-call-duration=1s");
  }
}
