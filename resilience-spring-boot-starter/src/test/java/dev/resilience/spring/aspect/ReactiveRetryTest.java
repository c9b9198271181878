package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.Guard;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.RetryListener;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.metrics.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code resilience.retry.*} on Mono and Flux methods, in virtual time: each attempt is a new
 * guarded subscription made after a non-blocking delay; an open breaker, the caller's own bucket, a
 * code not retried and a Flux that has emitted an item end the attempts; the fallback replaces what
 * ends them; the metric counts each.
 */
class ReactiveRetryTest {

  private static final String RESET = "connection reset";

  /** The waits the retries decided, in nanoseconds, as the metrics' listener hears them. */
  static final class Waits implements RetryListener {
    final List<Long> nanos = new CopyOnWriteArrayList<>();

    @Override
    public void onRetried(Guard guard, int attempt, long waitNanos) {
      nanos.add(waitNanos);
    }
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class,
                  ResilienceMetricsAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(QuoteFeed.class)
          .withBean(Waits.class)
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
          .withPropertyValues(
              "resilience.retry.max-attempts=3",
              "resilience.retry.initial-backoff=100ms",
              "resilience.retry.max-backoff=1s",
              "resilience.breaker.fail-threshold=100",
              "resilience.breaker.min-dwell=0s",
              "resilience.rate-limiter.capacity-per-second=100",
              "resilience.rate-limiter.burst=100",
              "resilience.rate-limiter.max-wait=0s");

  private static double retries(
      AssertableApplicationContext context, String endpoint, String outcome) {
    var counter =
        context
            .getBean(MeterRegistry.class)
            .find("resilience.retries")
            .tag("endpoint", endpoint)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** Advances virtual time to just before the decided wait, then through it. */
  private static void awaitWait(List<Long> waits, int index, QuoteFeed feed, int callsBefore) {
    long wait = waits.get(index);
    if (wait > 0) {
      VirtualTimeScheduler.get().advanceTimeBy(Duration.ofNanos(wait - 1));
      assertThat(feed.calls()).as("no attempt before the wait is over").isEqualTo(callsBefore);
      VirtualTimeScheduler.get().advanceTimeBy(Duration.ofNanos(1));
    } else {
      VirtualTimeScheduler.get().advanceTimeBy(Duration.ZERO);
    }
  }

  @Test
  void aMonoIsSubscribedAgainAfterEachDecidedWaitUntilItSucceeds() {
    runner.run(
        context -> {
          QuoteFeed feed = context.getBean(QuoteFeed.class);
          List<Long> waits = context.getBean(Waits.class).nanos;
          feed.answerQuotesWith(
              symbol ->
                  feed.calls() <= 2
                      ? Mono.error(new IOException(RESET))
                      : Mono.just("quote " + symbol));

          StepVerifier.withVirtualTime(() -> feed.quote("BTC"))
              .expectSubscription()
              .then(() -> assertThat(feed.calls()).isEqualTo(1))
              .then(() -> assertThat(waits).hasSize(1))
              .then(() -> awaitWait(waits, 0, feed, 1))
              .then(() -> assertThat(feed.calls()).isEqualTo(2))
              .then(() -> awaitWait(waits, 1, feed, 2))
              .expectNext("quote BTC")
              .verifyComplete();

          assertThat(waits.get(0)).isBetween(0L, 100_000_000L);
          assertThat(waits.get(1)).isBetween(0L, 200_000_000L);
          assertThat(retries(context, "quotes", "retried")).isEqualTo(2);
          assertThat(
                  context
                      .getBean(dev.resilience.core.ResilienceRegistry.class)
                      .guards()
                      .get("quotes")
                      .breaker()
                      .snapshot()
                      .callsInWindow())
              .as("3 guarded calls")
              .isEqualTo(3);
        });
  }

  @Test
  void theLastAttemptsFailureReachesTheSubscriberOrTheFallback() {
    runner.run(
        context -> {
          QuoteFeed feed = context.getBean(QuoteFeed.class);
          feed.answerQuotesWith(symbol -> Mono.error(new IOException(RESET)));

          StepVerifier.withVirtualTime(() -> feed.quote("BTC"))
              .expectSubscription()
              .thenAwait(Duration.ofSeconds(2))
              .expectErrorSatisfies(
                  error -> assertThat(error).isInstanceOf(IOException.class).hasMessage(RESET))
              .verify(Duration.ofSeconds(5));
          assertThat(feed.calls()).isEqualTo(3);
          assertThat(retries(context, "quotes", "exhausted")).isEqualTo(1);

          StepVerifier.withVirtualTime(() -> feed.quoteOrCached("ETH"))
              .expectSubscription()
              .thenAwait(Duration.ofSeconds(2))
              .expectNext("cached ETH after IOException")
              .verifyComplete();
          assertThat(feed.calls()).as("3 more attempts, then the fallback").isEqualTo(6);
          assertThat(retries(context, "quote_fallback", "exhausted")).isEqualTo(1);
        });
  }

  @Test
  void anOpenBreakerEndsTheRetries() {
    runner
        .withPropertyValues(
            "resilience.breaker.fail-threshold=2", "resilience.retry.max-attempts=5")
        .run(
            context -> {
              QuoteFeed feed = context.getBean(QuoteFeed.class);
              feed.answerQuotesWith(symbol -> Mono.error(new IOException(RESET)));

              StepVerifier.withVirtualTime(() -> feed.quote("BTC"))
                  .expectSubscription()
                  .thenAwait(Duration.ofSeconds(5))
                  .expectError(CircuitOpenException.class)
                  .verify(Duration.ofSeconds(5));

              assertThat(feed.calls()).as("the breaker opened after 2").isEqualTo(2);
              assertThat(retries(context, "quotes", "retried")).isEqualTo(2);
              assertThat(retries(context, "quotes", "stopped_by_breaker")).isEqualTo(1);
            });
  }

  @Test
  void anErrorNotRetriedAndTheCallersOwnBucketEndTheAttempts() {
    runner
        .withPropertyValues(
            "resilience.rate-limiter.capacity-per-second=1", "resilience.rate-limiter.burst=1")
        .run(
            context -> {
              QuoteFeed feed = context.getBean(QuoteFeed.class);
              feed.answerQuotesWith(
                  symbol -> Mono.error(new IllegalArgumentException("unknown " + symbol)));

              StepVerifier.withVirtualTime(() -> feed.quote("XYZ"))
                  .expectSubscription()
                  .expectErrorMessage("unknown XYZ")
                  .verify(Duration.ofSeconds(5));
              assertThat(feed.calls()).isEqualTo(1);
              assertThat(retries(context, "quotes", "retried")).isZero();

              // the ticker stands still: the second attempt finds the bucket empty
              feed.answerTicksWith(symbol -> Flux.error(new IOException(RESET)));
              StepVerifier.withVirtualTime(() -> feed.ticks("BTC"))
                  .expectSubscription()
                  .thenAwait(Duration.ofSeconds(2))
                  .expectError(RateLimitedException.class)
                  .verify(Duration.ofSeconds(5));
              assertThat(feed.calls()).as("one attempt, then a local rejection").isEqualTo(2);
              assertThat(retries(context, "ticks", "retried")).isEqualTo(1);
              assertThat(retries(context, "ticks", "exhausted")).isZero();
            });
  }

  @Test
  void aFluxIsTriedAgainOnlyWhileItHasEmittedNoItem() {
    runner.run(
        context -> {
          QuoteFeed feed = context.getBean(QuoteFeed.class);
          feed.answerTicksWith(
              symbol ->
                  feed.calls() == 1
                      ? Flux.error(new IOException(RESET))
                      : Flux.just(symbol + " 1", symbol + " 2"));

          StepVerifier.withVirtualTime(() -> feed.ticks("BTC"))
              .expectSubscription()
              .thenAwait(Duration.ofSeconds(1))
              .expectNext("BTC 1", "BTC 2")
              .verifyComplete();
          assertThat(feed.calls()).isEqualTo(2);

          feed.answerTicksWith(
              symbol -> Flux.just(symbol + " 1").concatWith(Flux.error(new IOException(RESET))));
          StepVerifier.withVirtualTime(() -> feed.ticks("ETH"))
              .expectSubscription()
              .expectNext("ETH 1")
              .thenAwait(Duration.ofSeconds(2))
              .expectErrorMessage(RESET)
              .verify(Duration.ofSeconds(5));
          assertThat(feed.calls()).as("not again: ETH 1 would come twice").isEqualTo(3);
          assertThat(retries(context, "ticks", "retried")).isEqualTo(1);
          assertThat(retries(context, "ticks", "exhausted")).isZero();
        });
  }

  @Test
  void aFluxFallbackComesAfterTheLastAttempt() {
    runner.run(
        context -> {
          QuoteFeed feed = context.getBean(QuoteFeed.class);
          feed.answerTicksWith(symbol -> Flux.error(new IOException(RESET)));

          StepVerifier.withVirtualTime(() -> feed.ticksOrNone("BTC"))
              .expectSubscription()
              .thenAwait(Duration.ofSeconds(2))
              .expectNext("no ticks for BTC")
              .verifyComplete();
          assertThat(feed.calls()).isEqualTo(3);
          assertThat(retries(context, "ticks_fallback", "exhausted")).isEqualTo(1);
        });
  }
}
