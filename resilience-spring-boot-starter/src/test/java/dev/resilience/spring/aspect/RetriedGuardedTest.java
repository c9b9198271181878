package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.CircuitOpenException;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.metrics.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code resilience.retry.*} on a real proxied bean: a synchronous call is tried again on a retried
 * failure, each attempt a guarded call; an error not retried, an open breaker and the last attempt
 * end the tries; the fallback replaces what ends them; the metric counts each; and retries on a
 * CompletionStage method stop start-up rather than being ignored.
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

  /** A CompletionStage endpoint: retries do not apply to it yet. */
  public static class AsyncExchange {
    @Guarded(endpoint = "async_order", breaker = "exchange")
    public CompletionStage<String> placeOrder(String symbol) {
      return CompletableFuture.completedFuture(symbol);
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
  void retriesOnACompletionStageMethodStopStartUpNamingTheFix() {
    runner
        .withBean(AsyncExchange.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains(
                      "resilience.retry gives endpoint 'async_order' 3 attempts, but this method"
                          + " returns a CompletionStage");
              assertThat(analysis.getAction())
                  .contains("resilience.retry.endpoint-overrides.async_order.max-attempts to 1");
            });
    runner
        .withBean(AsyncExchange.class)
        .withPropertyValues("resilience.retry.endpoint-overrides.async_order.max-attempts=1")
        .run(context -> assertThat(context).hasNotFailed());
  }
}
