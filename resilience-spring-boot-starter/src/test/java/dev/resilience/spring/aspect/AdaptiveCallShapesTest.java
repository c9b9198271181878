package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * An adaptive limit guards every call shape as it guards a plain call: a {@code CompletionStage}, a
 * {@code Mono} and a {@code Flux} each hold a slot from admission until they end (a stage's
 * completion, a publisher's terminal signal or cancellation), are turned away with {@link
 * BulkheadFullException} when the limit is in use, and a counted failure among them shrinks it.
 */
class AdaptiveCallShapesTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(ExchangeClient.class)
          .withBean(QuoteFeed.class)
          .withPropertyValues(
              "resilience.breaker.fail-threshold=1000000",
              "resilience.rate-limiter.capacity-per-second=1000000",
              "resilience.rate-limiter.burst=1000000",
              "resilience.rate-limiter.max-wait=0s",
              "resilience.adaptive.enabled=true",
              "resilience.adaptive.min-limit=1",
              "resilience.adaptive.max-limit=2",
              "resilience.adaptive.initial-limit=2");

  /** How a call ended: its value, or the failure thrown at once or carried by its stage. */
  private static Object outcome(Supplier<CompletableFuture<String>> call) {
    try {
      return call.get().join();
    } catch (CompletionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void aCompletionStageHoldsItsSlotUntilItCompletesAndACountedFailureShrinksTheLimit() {
    runner.run(
        context -> {
          ExchangeClient client = context.getBean(ExchangeClient.class);
          AdaptiveLimit limit = limitOf(context.getBean(ResilienceRegistry.class), "async_quote");
          CompletableFuture<String> pending = new CompletableFuture<>();
          client.answerWith(pending);

          CompletableFuture<String> first = client.asyncQuote("A");
          CompletableFuture<String> second = client.asyncQuote("B");
          int heldWhilePending = limit.inFlight();
          Object third = outcome(() -> client.asyncQuote("C"));
          pending.complete("quote");
          int heldAfter = limit.inFlight();
          CompletableFuture<String> failing = new CompletableFuture<>();
          client.answerWith(failing);
          CompletableFuture<String> dropped = client.asyncQuote("D");
          failing.completeExceptionally(new IOException("connection reset"));

          assertThat(heldWhilePending).isEqualTo(2);
          assertThat(third).isInstanceOf(BulkheadFullException.class);
          assertThat(first.join()).isEqualTo("quote");
          assertThat(second.join()).isEqualTo("quote");
          assertThat(heldAfter).isZero();
          assertThat(dropped).isCompletedExceptionally();
          assertThat(limit.inFlight()).isZero();
          assertThat(limit.limit()).as("2 x 0.9, floored").isEqualTo(1);
          assertThat(limit.lastChange().reason()).isEqualTo("drop: network");
        });
  }

  @Test
  void aMonoHoldsItsSlotUntilItEndsOrIsCancelledAndACountedFailureShrinksTheLimit() {
    runner.run(
        context -> {
          QuoteFeed feed = context.getBean(QuoteFeed.class);
          AdaptiveLimit limit = limitOf(context.getBean(ResilienceRegistry.class), "quotes");
          feed.answerQuotesWith(
              symbol ->
                  switch (symbol) {
                    case "hang" -> Mono.never();
                    case "io" -> Mono.error(new IOException("connection reset"));
                    default -> Mono.just("quote " + symbol);
                  });

          Disposable first = feed.quote("hang").subscribe();
          Disposable second = feed.quote("hang").subscribe();
          int heldWhileHanging = limit.inFlight();
          StepVerifier.create(feed.quote("A")).expectError(BulkheadFullException.class).verify();
          first.dispose();
          int heldAfterOneCancel = limit.inFlight();
          StepVerifier.create(feed.quote("A")).expectNext("quote A").verifyComplete();
          second.dispose();
          StepVerifier.create(feed.quote("io")).expectError(IOException.class).verify();

          assertThat(heldWhileHanging).isEqualTo(2);
          assertThat(heldAfterOneCancel).isOne();
          assertThat(limit.inFlight()).isZero();
          assertThat(limit.limit()).as("2 x 0.9, floored").isEqualTo(1);
          assertThat(limit.lastChange().reason()).isEqualTo("drop: network");
        });
  }

  @Test
  void aFluxHoldsItsSlotUntilItsLastItem() {
    runner.run(
        context -> {
          QuoteFeed feed = context.getBean(QuoteFeed.class);
          AdaptiveLimit limit = limitOf(context.getBean(ResilienceRegistry.class), "ticks");
          feed.answerTicksWith(symbol -> Flux.concat(Flux.just(symbol + " 1"), Flux.never()));

          Disposable first = feed.ticks("A").subscribe();
          Disposable second = feed.ticks("B").subscribe();
          int heldWhileStreaming = limit.inFlight();
          StepVerifier.create(feed.ticks("C")).expectError(BulkheadFullException.class).verify();
          first.dispose();
          second.dispose();

          assertThat(heldWhileStreaming).isEqualTo(2);
          assertThat(limit.inFlight()).isZero();
          assertThat(limit.limit()).as("nothing the downstream said moves it").isEqualTo(2);
        });
  }

  private static AdaptiveLimit limitOf(ResilienceRegistry registry, String endpoint) {
    return registry.guards().get(endpoint).adaptiveLimit();
  }
}
