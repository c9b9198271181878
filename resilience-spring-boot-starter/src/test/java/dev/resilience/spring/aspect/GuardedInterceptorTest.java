package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.CircuitState;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Ticker;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

class GuardedInterceptorTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(ExchangeClient.class)
          .withBean(ReportClient.class)
          .withPropertyValues(
              "resilience.breaker.fail-threshold=2",
              "resilience.breaker.cooldown=10s",
              "resilience.breaker.min-dwell=0s",
              "resilience.rate-limiter.capacity-per-second=1",
              "resilience.rate-limiter.burst=5",
              "resilience.rate-limiter.max-wait=0s");

  private void run(Consumer<Fixture> test) {
    runner.run(context -> test.accept(new Fixture(context)));
  }

  record Fixture(AssertableApplicationContext context) {
    ExchangeClient client() {
      return context.getBean(ExchangeClient.class);
    }

    ResilienceRegistry registry() {
      return context.getBean(ResilienceRegistry.class);
    }

    CircuitBreaker breaker(String name) {
      return registry().circuitBreaker(name);
    }

    TestTicker ticker() {
      return (TestTicker) context.getBean(Ticker.class);
    }
  }

  @Test
  void everyGuardedMethodIsBoundFromStartUpBeforeAnyCall() {
    run(
        f -> {
          assertThat(f.registry().guards().keySet())
              .containsExactly(
                  "async_fallback",
                  "async_quote",
                  "cancel_order",
                  "health",
                  "monthly_report",
                  "place_order",
                  "quote",
                  "reports");
          assertThat(f.registry().guards().get("cancel_order").breaker().name())
              .isEqualTo("exchange");
          assertThat(f.registry().guards().get("quote").breaker().name())
              .as("breaker defaults to the endpoint")
              .isEqualTo("quote");
          assertThat(f.registry().guards().get("health").allowlisted()).isTrue();
        });
  }

  @Test
  void anOpenBreakerRejectsBeforeTheBucketAndTheMethod() {
    run(
        f -> {
          f.breaker("exchange").forceOpen();

          assertThatExceptionOfType(CircuitOpenException.class)
              .isThrownBy(() -> f.client().place("BTC-USD"))
              .satisfies(
                  e -> {
                    assertThat(e.endpoint()).isEqualTo("place_order");
                    assertThat(e.breaker()).isEqualTo("exchange");
                  });
          assertThat(f.client().calls()).isZero();
          assertThat(f.registry().rateLimiter("place_order").availableTokens()).isEqualTo(5.0);
        });
  }

  @Test
  void endpointsSharingABreakerAllFailFastWhileAllowlistedCallsStillPass() {
    run(
        f -> {
          f.client().failWith(new HttpServerErrorException(HttpStatus.SERVICE_UNAVAILABLE));
          for (int i = 0; i < 2; i++) {
            assertThatExceptionOfType(HttpServerErrorException.class)
                .isThrownBy(() -> f.client().place("BTC-USD"));
          }
          assertThat(f.breaker("exchange").state()).isEqualTo(CircuitState.OPEN);
          f.client().failWith(null);

          assertThatExceptionOfType(CircuitOpenException.class)
              .isThrownBy(() -> f.client().cancel("42"));
          assertThat(f.client().health()).isEqualTo("up");
          assertThat(f.breaker("exchange").state())
              .as("an allowlisted success never closes")
              .isEqualTo(CircuitState.OPEN);
        });
  }

  @Test
  void aRateLimitedCallIsNoFailureAndGivesItsProbeSlotBack() {
    run(
        f -> {
          f.client().failWith(new HttpServerErrorException(HttpStatus.BAD_GATEWAY));
          for (int i = 0; i < 2; i++) {
            assertThatExceptionOfType(HttpServerErrorException.class)
                .isThrownBy(() -> f.client().place("BTC-USD"));
          }
          f.ticker().advance(Duration.ofSeconds(10));
          while (f.registry().rateLimiter("place_order").tryAcquire()) {
            // empty the bucket
          }

          assertThatExceptionOfType(RateLimitedException.class)
              .isThrownBy(() -> f.client().place("BTC-USD"))
              .satisfies(e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));

          assertThat(f.breaker("exchange").state()).isEqualTo(CircuitState.HALF_OPEN);
          assertThat(f.breaker("exchange").snapshot().probesInFlight()).isZero();
          assertThat(f.breaker("exchange").snapshot().failuresInWindow()).isEqualTo(2.0);
        });
  }

  static Stream<Arguments> downstreamErrors() {
    return Stream.of(
        Arguments.of(new HttpServerErrorException(HttpStatus.SERVICE_UNAVAILABLE), "503"),
        Arguments.of(new HttpServerErrorException(HttpStatus.INTERNAL_SERVER_ERROR), "500"),
        Arguments.of(new HttpClientErrorException(HttpStatus.TOO_MANY_REQUESTS), "429"),
        Arguments.of(
            new ResourceAccessException("I/O error", new SocketTimeoutException("Read timed out")),
            "timeout"),
        Arguments.of(
            new ResourceAccessException("I/O error", new ConnectException("Connection refused")),
            "network"),
        Arguments.of(new java.io.UncheckedIOException(new IOException("reset")), "network"),
        Arguments.of(
            WebClientResponseException.create(
                502, "Bad Gateway", HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8),
            "502"),
        Arguments.of(
            new CompletionException(new HttpServerErrorException(HttpStatus.GATEWAY_TIMEOUT)),
            "504"));
  }

  @ParameterizedTest(name = "{0} counts as {1}")
  @MethodSource("downstreamErrors")
  void downstreamFailuresCountUnderTheirCodeAndReachTheCallerUnchanged(
      RuntimeException error, String code) {
    run(
        f -> {
          f.client().failWith(error);

          assertThatExceptionOfType(RuntimeException.class)
              .isThrownBy(() -> f.client().cancel("42"))
              .isSameAs(error);

          assertThat(f.breaker("exchange").snapshot().failureCodes())
              .containsExactly(java.util.Map.entry(code, 1L));
        });
  }

  static Stream<RuntimeException> callerErrors() {
    return Stream.of(
        new HttpClientErrorException(HttpStatus.NOT_FOUND),
        new HttpClientErrorException(HttpStatus.BAD_REQUEST),
        new IllegalArgumentException("qty must be positive"),
        new IllegalStateException("insufficient funds"));
  }

  @ParameterizedTest
  @MethodSource("callerErrors")
  void errorsThatSayNothingAboutTheDownstreamPassThroughUncounted(RuntimeException error) {
    run(
        f -> {
          f.client().failWith(error);

          assertThatExceptionOfType(RuntimeException.class)
              .isThrownBy(() -> f.client().cancel("42"))
              .isSameAs(error);

          assertThat(f.breaker("exchange").snapshot().failuresInWindow()).isZero();
          assertThat(f.breaker("exchange").snapshot().callsInWindow()).isZero();
        });
  }

  @Test
  void ignoreExceptionsWinOverStatusAndRecordExceptionsCountUnderTheirName() {
    runner
        .withPropertyValues(
            "resilience.breaker.ignore-exceptions=org.springframework.web.client.HttpServerErrorException",
            "resilience.breaker.record-exceptions=java.lang.IllegalStateException")
        .run(
            context -> {
              Fixture f = new Fixture(context);
              f.client().failWith(new HttpServerErrorException(HttpStatus.SERVICE_UNAVAILABLE));
              assertThatExceptionOfType(HttpServerErrorException.class)
                  .isThrownBy(() -> f.client().place("BTC-USD"));
              f.client().failWith(new IllegalStateException("exchange in maintenance"));
              assertThatExceptionOfType(IllegalStateException.class)
                  .isThrownBy(() -> f.client().place("BTC-USD"));

              assertThat(f.breaker("exchange").snapshot().failureCodes())
                  .containsExactly(java.util.Map.entry("IllegalStateException", 1L));
            });
  }

  @Test
  void perBreakerOverridesReplaceTheExceptionListsOfThatBreakerOnly() {
    runner
        .withPropertyValues(
            "resilience.breaker.endpoint-overrides.quote.ignore-exceptions=java.io.UncheckedIOException")
        .run(
            context -> {
              Fixture f = new Fixture(context);
              f.client().failWith(new java.io.UncheckedIOException(new IOException("reset")));

              assertThatExceptionOfType(java.io.UncheckedIOException.class)
                  .as("ignored: no fallback")
                  .isThrownBy(() -> f.client().quote("ETH"));
              assertThatExceptionOfType(java.io.UncheckedIOException.class)
                  .isThrownBy(() -> f.client().cancel("1"));

              assertThat(f.breaker("quote").snapshot().failuresInWindow()).isZero();
              assertThat(f.breaker("exchange").snapshot().failureCodes())
                  .containsExactly(java.util.Map.entry("network", 1L));
            });
  }

  @Test
  void aFallbackReplacesRejectionsAndCountedFailuresButNotIgnoredErrors() {
    run(
        f -> {
          f.client().failWith(new HttpServerErrorException(HttpStatus.SERVICE_UNAVAILABLE));
          assertThat(f.client().quote("ETH"))
              .isEqualTo("cached ETH after HttpServerErrorException");

          f.breaker("quote").forceOpen();
          assertThat(f.client().quote("ETH")).isEqualTo("cached ETH after CircuitOpenException");

          f.breaker("quote").reset();
          f.client().failWith(new IllegalArgumentException("unknown symbol"));
          assertThatExceptionOfType(IllegalArgumentException.class)
              .isThrownBy(() -> f.client().quote("???"));
        });
  }

  @Test
  void asyncOutcomesAreRecordedWhenTheStageCompletes() {
    run(
        f -> {
          CompletableFuture<String> pending = new CompletableFuture<>();
          f.client().answerWith(pending);
          CompletableFuture<String> result = f.client().asyncQuote("BTC");
          assertThat(f.breaker("async_quote").snapshot().callsInWindow())
              .as("not completed yet")
              .isZero();

          pending.complete("42");

          assertThat(result).isCompletedWithValue("42");
          assertThat(f.breaker("async_quote").snapshot().callsInWindow()).isEqualTo(1);

          f.client()
              .answerWith(
                  CompletableFuture.failedFuture(
                      new HttpServerErrorException(HttpStatus.SERVICE_UNAVAILABLE)));
          CompletableFuture<String> failed = f.client().asyncQuote("BTC");
          assertThat(failed).isCompletedExceptionally();
          assertThat(f.breaker("async_quote").snapshot().failureCodes()).containsEntry("503", 1L);
        });
  }

  @Test
  void anAsyncCallWaitsForItsTokenOnATimerNotOnTheCallersThread() {
    runner
        .withPropertyValues(
            "resilience.rate-limiter.burst=1", "resilience.rate-limiter.max-wait=5s")
        .run(
            context -> {
              Fixture f = new Fixture(context);
              f.client().answerWith(CompletableFuture.completedFuture("42"));
              assertThat(f.client().asyncQuote("BTC")).isCompletedWithValue("42");

              CompletableFuture<String> waiting = f.client().asyncQuote("BTC");

              assertThat(waiting).as("returned before its token came").isNotDone();
              assertThat(f.client().calls()).as("the method runs after the wait").isEqualTo(1);
              assertThat(waiting).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("42");
              assertThat(f.client().calls()).isEqualTo(2);
              assertThat(f.breaker("async_quote").snapshot().callsInWindow()).isEqualTo(2);

              CompletableFuture<String> cancelled = f.client().asyncQuote("BTC");
              cancelled.cancel(false);
              await()
                  .during(Duration.ofMillis(1500))
                  .atMost(Duration.ofSeconds(3))
                  .until(() -> f.client().calls() == 2);
              assertThat(f.breaker("async_quote").snapshot().callsInWindow())
                  .as("cancelled while waiting: no call, no outcome")
                  .isEqualTo(2);
            });
  }

  @Test
  void anAsyncRejectionIsAFailedStageNotAThrownException() {
    run(
        f -> {
          f.breaker("async_quote").forceOpen();

          CompletableFuture<String> result = f.client().asyncQuote("BTC");

          assertThat(result).isCompletedExceptionally();
          assertThat(result.handle((v, e) -> e))
              .succeedsWithin(Duration.ofSeconds(1))
              .isInstanceOf(CircuitOpenException.class);
          assertThat(f.client().calls()).isZero();
        });
  }

  @Test
  void anAsyncFailureSwitchesToTheFallbackStage() {
    run(
        f -> {
          f.client()
              .answerWith(
                  CompletableFuture.failedFuture(
                      new ResourceAccessException("down", new ConnectException())));

          assertThat(f.client().asyncWithFallback("SOL"))
              .succeedsWithin(Duration.ofSeconds(1))
              .isEqualTo("cached SOL");
          assertThat(f.breaker("async_fallback").snapshot().failureCodes())
              .containsEntry("network", 1L);

          f.breaker("async_fallback").forceOpen();
          assertThat(f.client().asyncWithFallback("SOL"))
              .succeedsWithin(Duration.ofSeconds(1))
              .isEqualTo("cached SOL");
        });
  }

  @Test
  void aClassLevelAnnotationGuardsEveryPublicMethodAndAMethodAnnotationWins() {
    run(
        f -> {
          ReportClient reports = f.context().getBean(ReportClient.class);
          f.breaker("reporting").forceOpen();

          assertThatExceptionOfType(CircuitOpenException.class)
              .isThrownBy(reports::daily)
              .satisfies(e -> assertThat(e.endpoint()).isEqualTo("reports"));
          assertThatExceptionOfType(CircuitOpenException.class)
              .isThrownBy(reports::monthly)
              .satisfies(e -> assertThat(e.endpoint()).isEqualTo("monthly_report"));
        });
  }

  @Test
  void
      aClassLevelAnnotationGuardsTheMethodsItsClassDeclaresNotOnesInheritedFromAnUnannotatedBase() {
    runner
        .withBean(PricesClient.class)
        .run(
            context -> {
              GuardedMethodResolver methods = context.getBean(GuardedMethodResolver.class);
              assertThat(methods.find(PricesClient.class.getMethod("latest"), PricesClient.class))
                  .isNotNull();
              assertThat(methods.find(PollingClient.class.getMethod("fetch"), PricesClient.class))
                  .as("inherited: not guarded, so not bound either (as with @Transactional)")
                  .isNull();

              context.getBean(ResilienceRegistry.class).circuitBreaker("prices").forceOpen();
              PricesClient prices = context.getBean(PricesClient.class);
              assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(prices::latest);
              assertThat(prices.fetch()).isEqualTo("fetched");
            });
  }

  @Test
  void oneInterfaceMethodIsGuardedAsEachImplementingBeanSaysBehindJdkProxies() {
    runner
        .withPropertyValues("spring.aop.proxy-target-class=false")
        .withBean("orders", Pollable.class, OrdersPoller::new)
        .withBean("fills", Pollable.class, FillsPoller::new)
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              registry.circuitBreaker("fills").forceOpen();
              Pollable orders = context.getBean("orders", Pollable.class);
              Pollable fills = context.getBean("fills", Pollable.class);
              assertThat(AopUtils.isJdkDynamicProxy(fills)).isTrue();

              assertThat(orders.poll()).isEqualTo("orders");
              assertThatExceptionOfType(CircuitOpenException.class)
                  .isThrownBy(fills::poll)
                  .satisfies(e -> assertThat(e.endpoint()).isEqualTo("fills"));
              assertThat(registry.circuitBreaker("orders").snapshot().callsInWindow()).isEqualTo(1);
            });
  }

  /** A base class whose public method a class-level {@code @Guarded} bean inherits. */
  public abstract static class PollingClient {
    public String fetch() {
      return "fetched";
    }
  }

  @Guarded(endpoint = "prices")
  public static class PricesClient extends PollingClient {
    public String latest() {
      return "latest";
    }
  }

  /** One interface, two class-level {@code @Guarded} implementations. */
  public interface Pollable {
    String poll();
  }

  @Guarded(endpoint = "orders")
  public static class OrdersPoller implements Pollable {
    @Override
    public String poll() {
      return "orders";
    }
  }

  @Guarded(endpoint = "fills")
  public static class FillsPoller implements Pollable {
    @Override
    public String poll() {
      return "fills";
    }
  }

  @Test
  void whenDisabledEveryCallPassesStraightThrough() {
    runner
        .withPropertyValues("resilience.enabled=false")
        .run(
            context -> {
              Fixture f = new Fixture(context);
              f.breaker("exchange").forceOpen();

              assertThat(f.client().place("BTC-USD")).isEqualTo("placed BTC-USD");
              assertThat(f.registry().rateLimiter("place_order").availableTokens()).isEqualTo(5.0);
            });
  }

  @Test
  void aUserClassifierBeanReplacesOurs() {
    runner
        .withBean(
            FailureClassifier.class,
            () -> error -> error instanceof IllegalArgumentException ? "bad_input" : null)
        .run(
            context -> {
              Fixture f = new Fixture(context);
              f.client().failWith(new IllegalArgumentException("qty"));
              assertThatExceptionOfType(IllegalArgumentException.class)
                  .isThrownBy(() -> f.client().place("X"));
              f.client().failWith(new HttpServerErrorException(HttpStatus.SERVICE_UNAVAILABLE));
              assertThatExceptionOfType(HttpServerErrorException.class)
                  .isThrownBy(() -> f.client().place("X"));

              assertThat(f.breaker("exchange").snapshot().failureCodes())
                  .containsExactly(java.util.Map.entry("bad_input", 1L));
            });
  }
}
