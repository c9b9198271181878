package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.aspect.AccountClient.OrderRequest;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;

/**
 * {@code @Guarded(key = ...)}: each key of an endpoint has its own bucket with the endpoint's rate
 * and burst, while all keys share the endpoint's breaker; the key is read from the call's arguments
 * on the synchronous, asynchronous and fallback paths alike.
 */
class KeyedGuardedTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(AccountClient.class)
          .withPropertyValues(
              "resilience.breaker.fail-threshold=2",
              "resilience.breaker.cooldown=10s",
              "resilience.breaker.min-dwell=0s",
              "resilience.rate-limiter.capacity-per-second=1",
              "resilience.rate-limiter.burst=2",
              "resilience.rate-limiter.max-wait=0s");

  private void run(Consumer<Fixture> test) {
    runner.run(context -> test.accept(new Fixture(context)));
  }

  record Fixture(AssertableApplicationContext context) {
    AccountClient client() {
      return context.getBean(AccountClient.class);
    }

    ResilienceRegistry registry() {
      return context.getBean(ResilienceRegistry.class);
    }

    KeyedRateLimiter keys(String endpoint) {
      return registry().findKeyedRateLimiter(endpoint);
    }

    TestTicker ticker() {
      return context.getBean(TestTicker.class);
    }
  }

  private static OrderRequest order(String account) {
    return new OrderRequest(account, "BTC-USD");
  }

  @Test
  void aKeyedEndpointIsBoundFromStartUpWithBucketsPerKeyAndNoSharedBucket() {
    run(
        f -> {
          Guard guard = f.registry().guards().get("place_order");
          assertThat(guard.keyed()).isTrue();
          assertThat(guard.rateLimiter()).isNull();
          assertThat(guard.keyedRateLimiter()).isSameAs(f.keys("place_order"));
          assertThat(guard.breaker().name()).isEqualTo("exchange");
          assertThat(f.keys("place_order").liveKeys()).isZero();
          f.client().place(order("alice"));
          assertThat(f.registry().findRateLimiter("place_order"))
              .as("no bucket shared by all keys is ever made")
              .isNull();
        });
  }

  @Test
  void whenOneKeyHasUsedItsBurstThenItIsRejectedWhileAnotherKeyIsStillAdmitted() {
    run(
        f -> {
          assertThat(f.client().place(order("alice"))).isEqualTo("placed BTC-USD for alice");
          f.client().place(order("alice"));
          assertThatExceptionOfType(RateLimitedException.class)
              .isThrownBy(() -> f.client().place(order("alice")))
              .satisfies(
                  e -> {
                    assertThat(e.endpoint()).isEqualTo("place_order");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                  });

          assertThat(f.client().place(order("bob"))).isEqualTo("placed BTC-USD for bob");
          assertThat(f.client().place(order("bob"))).isEqualTo("placed BTC-USD for bob");
          assertThat(f.client().calls()).isEqualTo(4);
          assertThat(f.keys("place_order").liveKeys()).isEqualTo(2);
          assertThat(f.keys("place_order").availableTokens("alice", 0)).isZero();

          f.ticker().advance(Duration.ofSeconds(1));
          assertThat(f.client().place(order("alice")))
              .as("alice's bucket refills at the endpoint's rate")
              .isEqualTo("placed BTC-USD for alice");
        });
  }

  @Test
  void whenOneKeysCallsOpenTheSharedBreakerThenEveryKeyFailsFast() {
    run(
        f -> {
          f.client().failWith(new HttpServerErrorException(HttpStatus.SERVICE_UNAVAILABLE));
          for (int i = 0; i < 2; i++) {
            assertThatExceptionOfType(HttpServerErrorException.class)
                .isThrownBy(() -> f.client().place(order("alice")));
          }
          assertThat(f.registry().circuitBreaker("exchange").state()).isEqualTo(CircuitState.OPEN);

          assertThatExceptionOfType(CircuitOpenException.class)
              .isThrownBy(() -> f.client().place(order("bob")))
              .satisfies(e -> assertThat(e.breaker()).isEqualTo("exchange"));
          assertThatExceptionOfType(CircuitOpenException.class)
              .as("another keyed endpoint on the same breaker")
              .isThrownBy(() -> f.client().cancel(42L, "o-1"));
          assertThat(f.keys("place_order").isLive("bob"))
              .as("a call the breaker rejects takes no token")
              .isFalse();
          assertThat(f.client().calls()).isEqualTo(2);
        });
  }

  @Test
  void twoMethodsKeyingOneEndpointDifferentlyShareItsBucketsPerKey() {
    run(
        f -> {
          f.client().place(order("alice"));
          f.client().placeFor("alice", "ETH-USD");

          assertThatExceptionOfType(RateLimitedException.class)
              .isThrownBy(() -> f.client().place(order("alice")));
          assertThatExceptionOfType(RateLimitedException.class)
              .isThrownBy(() -> f.client().placeFor("alice", "ETH-USD"));
          assertThat(f.client().placeFor("bob", "ETH-USD")).isEqualTo("placed ETH-USD for bob");
        });
  }

  @Test
  void whenTheKeyIsNullOrBlankThenTheCallIsLimitedUnderAnonymous() {
    run(
        f -> {
          f.client().place(order(null));
          f.client().place(order("   "));

          KeyedRateLimiter keys = f.keys("place_order");
          assertThat(keys.isLive("anonymous")).isTrue();
          assertThat(keys.availableTokens("anonymous", 0)).isZero();
          assertThat(keys.liveKeys()).isEqualTo(1);
          assertThatExceptionOfType(RateLimitedException.class)
              .isThrownBy(() -> f.client().place(order("")));
        });
  }

  @Test
  void aKeyThatIsNotAStringIsItsStringValueAndParametersCanBeReadByPosition() {
    run(
        f -> {
          f.client().cancel(42L, "o-1");
          f.client().positions("alice", "fx");

          assertThat(f.keys("cancel_order").isLive("42")).as("#p0 of 42L").isTrue();
          assertThat(f.keys("positions").isLive("fx:alice"))
              .as("#root.args[1] + ':' + #a0")
              .isTrue();
        });
  }

  @Test
  void whenAKeyIsRejectedThenItsFallbackAnswersAndAnotherKeyStillReachesTheMethod() {
    run(
        f -> {
          f.client().quote("alice", "BTC-USD");
          f.client().quote("alice", "BTC-USD");

          assertThat(f.client().quote("alice", "BTC-USD"))
              .isEqualTo("cached BTC-USD after RateLimitedException");
          assertThat(f.client().quote("bob", "BTC-USD")).isEqualTo("live BTC-USD");
          assertThat(f.client().calls()).isEqualTo(3);
        });
  }

  @Test
  void whenAnAsynchronousCallsKeyIsRejectedThenTheStageFailsAndAnotherKeyCompletes() {
    run(
        f -> {
          f.client().placeAsync(order("alice")).join();
          f.client().placeAsync(order("alice")).join();

          CompletableFuture<String> rejected = f.client().placeAsync(order("alice"));
          assertThat(rejected)
              .failsWithin(Duration.ZERO)
              .withThrowableOfType(ExecutionException.class)
              .havingCause()
              .isInstanceOf(RateLimitedException.class);
          assertThat(f.client().placeAsync(order("bob"))).isCompletedWithValue("placed BTC-USD");

          f.client().quoteAsync("carol", "ETH-USD").join();
          f.client().quoteAsync("carol", "ETH-USD").join();
          assertThat(f.client().quoteAsync("carol", "ETH-USD"))
              .as("an asynchronous fallback")
              .isCompletedWithValue("cached ETH-USD");
        });
  }

  @Test
  void whenTheKeyExpressionFailsOnACallsArgumentsThenTheCallFailsNamingItAndNothingRuns() {
    run(
        f -> {
          assertThatExceptionOfType(IllegalArgumentException.class)
              .isThrownBy(() -> f.client().place(null))
              .withMessage(
                  "The key of @Guarded on AccountClient.place(OrderRequest), '#request.account', could not be"
                      + " evaluated for this call: EL1007E: Property or field 'account' cannot be found on null"
                      + " (write ?. to read through a null, e.g. #request?.account, which gives the key"
                      + " anonymous)");
          assertThat(f.client().placeAsync(null))
              .as("an asynchronous method fails its stage instead of throwing")
              .isCompletedExceptionally();
          assertThat(f.client().calls()).isZero();
          assertThat(f.keys("place_order").liveKeys()).isZero();
          assertThat(f.registry().circuitBreaker("exchange").snapshot().callsInWindow()).isZero();
        });
  }
}
