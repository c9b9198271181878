package dev.resilience.spring.aspect;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.CircuitOpenException;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.metrics.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code resilience.retry.*} on a real proxied bean: a synchronous call is tried again on a retried
 * failure, each attempt a guarded call; an error not retried, an open breaker and the last attempt
 * end the tries; the fallback replaces what ends them; the metric counts each. A CompletionStage
 * method is retried the same way, each attempt made when the previous stage has failed, the wait on
 * a timer rather than the caller's thread.
 */
class RetriedGuardedTest {

  /** Fails {@code failures} times with a connection reset, then answers. */
  public static class FlakyExchange {
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int failures;

    // methods, not fields: the test holds the proxy, whose own fields are not the bean's
    public void failTimes(int failures) {
      this.failures = failures;
    }

    public int calls() {
      return calls.get();
    }

    @Guarded(endpoint = "place_order", breaker = "exchange")
    public String placeOrder(String symbol) throws IOException {
      if (calls.incrementAndGet() <= failures) {
        throw new IOException("connection reset");
      }
      return "filled " + symbol;
    }

    @Guarded(endpoint = "quote", breaker = "exchange", fallback = "lastQuote")
    public String quote(String symbol) throws IOException {
      calls.incrementAndGet();
      throw new IOException("connection reset");
    }

    public String lastQuote(String symbol, Throwable error) {
      return symbol + "=stale";
    }

    @Guarded(endpoint = "validate", breaker = "exchange")
    public String validate(String symbol) {
      calls.incrementAndGet();
      throw new IllegalArgumentException("unknown symbol " + symbol);
    }
  }

  /**
   * A CompletionStage endpoint whose stages fail {@code failures} times, 50 ms after the call, on
   * another thread; records the threads the method ran on.
   */
  public static class AsyncExchange {
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private volatile int failures;

    public void failTimes(int failures) {
      this.failures = failures;
    }

    public int calls() {
      return calls.get();
    }

    public List<String> threads() {
      return threads;
    }

    @Guarded(endpoint = "async_order", breaker = "exchange")
    public CompletionStage<String> placeOrder(String symbol) {
      return later(symbol);
    }

    @Guarded(endpoint = "async_quote", breaker = "exchange", fallback = "lastQuote")
    public CompletionStage<String> quote(String symbol) {
      return later(symbol);
    }

    public CompletionStage<String> lastQuote(String symbol, Throwable error) {
      return CompletableFuture.completedFuture(
          symbol + "=stale after " + error.getClass().getSimpleName());
    }

    @Guarded(endpoint = "async_validate", breaker = "exchange")
    public CompletionStage<String> validate(String symbol) {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalArgumentException("unknown " + symbol));
    }

    private CompletionStage<String> later(String symbol) {
      threads.add(Thread.currentThread().getName());
      boolean fails = calls.incrementAndGet() <= failures;
      return CompletableFuture.supplyAsync(
          () -> {
            if (fails) {
              throw new UncheckedIOException(new IOException("connection reset"));
            }
            return "filled " + symbol;
          },
          CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
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
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
          .withPropertyValues(
              "resilience.retry.max-attempts=3",
              "resilience.retry.initial-backoff=1ms",
              "resilience.retry.max-backoff=5ms",
              "resilience.breaker.fail-threshold=100",
              "resilience.rate-limiter.burst=100");

  private static double retries(MeterRegistry meters, String endpoint, String outcome) {
    var counter =
        meters
            .find("resilience.retries")
            .tag("endpoint", endpoint)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aRetriedFailureIsTriedAgainAndEachAttemptIsAGuardedCall() throws Exception {
    runner
        .withBean(FlakyExchange.class)
        .run(
            context -> {
              FlakyExchange exchange = context.getBean(FlakyExchange.class);
              exchange.failTimes(2);

              assertThat(exchange.placeOrder("BTC")).isEqualTo("filled BTC");

              assertThat(exchange.calls()).isEqualTo(3);
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(retries(meters, "place_order", "retried")).isEqualTo(2);
              assertThat(
                      context
                          .getBean(dev.resilience.core.ResilienceRegistry.class)
                          .guards()
                          .get("place_order")
                          .breaker()
                          .snapshot()
                          .callsInWindow())
                  .isEqualTo(3);
            });
  }

  @Test
  void theLastAttemptsFailureReachesTheCallerOrTheFallback() {
    runner
        .withBean(FlakyExchange.class)
        .run(
            context -> {
              FlakyExchange exchange = context.getBean(FlakyExchange.class);
              exchange.failTimes(10);
              MeterRegistry meters = context.getBean(MeterRegistry.class);

              assertThatExceptionOfType(IOException.class)
                  .isThrownBy(() -> exchange.placeOrder("BTC"))
                  .withMessage("connection reset");
              assertThat(exchange.calls()).isEqualTo(3);
              assertThat(retries(meters, "place_order", "exhausted")).isEqualTo(1);

              assertThat(exchange.quote("ETH")).isEqualTo("ETH=stale");
              assertThat(exchange.calls()).as("3 more attempts, then the fallback").isEqualTo(6);
            });
  }

  @Test
  void anErrorThatIsNotRetriedIsTriedOnce() {
    runner
        .withBean(FlakyExchange.class)
        .run(
            context -> {
              FlakyExchange exchange = context.getBean(FlakyExchange.class);

              assertThatExceptionOfType(IllegalArgumentException.class)
                  .isThrownBy(() -> exchange.validate("XYZ"));

              assertThat(exchange.calls()).isEqualTo(1);
            });
  }

  @Test
  void anOpenBreakerEndsTheRetries() {
    runner
        .withBean(FlakyExchange.class)
        .withPropertyValues(
            "resilience.breaker.fail-threshold=2", "resilience.retry.max-attempts=5")
        .run(
            context -> {
              FlakyExchange exchange = context.getBean(FlakyExchange.class);
              exchange.failTimes(10);

              assertThatExceptionOfType(CircuitOpenException.class)
                  .isThrownBy(() -> exchange.placeOrder("BTC"));

              assertThat(exchange.calls()).as("the breaker opened after 2").isEqualTo(2);
              assertThat(
                      retries(
                          context.getBean(MeterRegistry.class),
                          "place_order",
                          "stopped_by_breaker"))
                  .isEqualTo(1);
            });
  }

  @Test
  void aCompletionStageIsCalledAgainWithoutBlockingTheCallersThread() {
    runner
        .withBean(AsyncExchange.class)
        .run(
            context -> {
              AsyncExchange exchange = context.getBean(AsyncExchange.class);
              exchange.failTimes(2);
              String caller = Thread.currentThread().getName();

              CompletableFuture<String> order = exchange.placeOrder("BTC").toCompletableFuture();

              assertThat(order).as("the caller returns before the retries end").isNotDone();
              assertThat(exchange.calls()).isEqualTo(1);
              assertThat(order.get(5, TimeUnit.SECONDS)).isEqualTo("filled BTC");
              assertThat(exchange.calls()).isEqualTo(3);
              assertThat(exchange.threads()).hasSize(3).first().isEqualTo(caller);
              assertThat(exchange.threads().subList(1, 3))
                  .as("later attempts run on the delay's thread, not the caller's")
                  .doesNotContain(caller);
              assertThat(retries(context.getBean(MeterRegistry.class), "async_order", "retried"))
                  .isEqualTo(2);
              assertThat(
                      context
                          .getBean(dev.resilience.core.ResilienceRegistry.class)
                          .guards()
                          .get("async_order")
                          .breaker()
                          .snapshot()
                          .callsInWindow())
                  .as("3 guarded calls")
                  .isEqualTo(3);
            });
  }

  @Test
  void aCompletionStagesLastFailureReachesTheCallerOrTheFallback() {
    runner
        .withBean(AsyncExchange.class)
        .run(
            context -> {
              AsyncExchange exchange = context.getBean(AsyncExchange.class);
              exchange.failTimes(10);
              MeterRegistry meters = context.getBean(MeterRegistry.class);

              assertThatExceptionOfType(ExecutionException.class)
                  .isThrownBy(
                      () -> exchange.placeOrder("BTC").toCompletableFuture().get(5, SECONDS))
                  .havingRootCause()
                  .isInstanceOf(IOException.class)
                  .withMessage("connection reset");
              assertThat(exchange.calls()).isEqualTo(3);
              assertThat(retries(meters, "async_order", "exhausted")).isEqualTo(1);

              assertThat(exchange.quote("ETH").toCompletableFuture().get(5, SECONDS))
                  .isEqualTo("ETH=stale after UncheckedIOException");
              assertThat(exchange.calls()).as("3 more attempts, then the fallback").isEqualTo(6);
              assertThat(retries(meters, "async_quote", "exhausted")).isEqualTo(1);

              assertThatExceptionOfType(ExecutionException.class)
                  .isThrownBy(() -> exchange.validate("XYZ").toCompletableFuture().get(5, SECONDS))
                  .withCauseInstanceOf(IllegalArgumentException.class);
              assertThat(exchange.calls()).as("not retried").isEqualTo(7);
            });
  }

  @Test
  void anOpenBreakerEndsACompletionStagesRetries() {
    runner
        .withBean(AsyncExchange.class)
        .withPropertyValues(
            "resilience.breaker.fail-threshold=2", "resilience.retry.max-attempts=5")
        .run(
            context -> {
              AsyncExchange exchange = context.getBean(AsyncExchange.class);
              exchange.failTimes(10);

              assertThatExceptionOfType(ExecutionException.class)
                  .isThrownBy(
                      () -> exchange.placeOrder("BTC").toCompletableFuture().get(5, SECONDS))
                  .withCauseInstanceOf(CircuitOpenException.class);
              assertThat(exchange.calls()).isEqualTo(2);
              assertThat(
                      retries(
                          context.getBean(MeterRegistry.class),
                          "async_order",
                          "stopped_by_breaker"))
                  .isEqualTo(1);
            });
  }
}
