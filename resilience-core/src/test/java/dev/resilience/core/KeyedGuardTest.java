package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guards with a bucket per key: each key its own tokens, one breaker for all keys. */
class KeyedGuardTest {

  private final FakeTicker ticker = new FakeTicker();

  private ResilienceRegistry registry(RateLimiterConfig limits) {
    return ResilienceRegistry.builder()
        .ticker(ticker)
        .maxKeys(100)
        .rateLimiterDefaults(limits)
        .circuitBreakerDefaults(
            CircuitBreakerConfig.builder()
                .failThreshold(1)
                .cooldown(Duration.ofSeconds(5))
                .minDwell(Duration.ZERO)
                .build())
        .build();
  }

  @Test
  void aKeyedGuardTakesEachKeysTokensFromItsOwnBucket() throws Exception {
    Guard guard =
        registry(new RateLimiterConfig(1, 2, Duration.ZERO))
            .keyedGuard("place_order", "exchange", false);

    assertThat(guard.keyed()).isTrue();
    assertThat(guard.rateLimiter()).isNull();
    KeyedRateLimiter buckets = guard.keyedRateLimiter();
    assertThat(buckets.name()).isEqualTo("place_order");
    assertThat(buckets.maxKeys()).isEqualTo(100);
    assertThat(buckets.limits("any").list()).containsExactly(Limit.of(2, Duration.ofSeconds(2)));

    guard.admit("alice").succeeded();
    assertThat(guard.call("alice", () -> "ok", FailureClassifier.jdk())).isEqualTo("ok");
    assertThatExceptionOfType(RateLimitedException.class)
        .isThrownBy(() -> guard.admit("alice"))
        .satisfies(e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
    guard.admit("bob").succeeded();

    assertThat(buckets.availableTokens("alice", 0)).isEqualTo(0.0);
    assertThat(buckets.availableTokens("bob", 0)).isEqualTo(1.0);
    assertThat(guard.breaker().snapshot().callsInWindow()).isEqualTo(3);
  }

  @Test
  void aKeyedGuardWantsAKeyAndAPlainGuardWantsNone() {
    ResilienceRegistry registry = registry(RateLimiterConfig.defaults());
    Guard keyed = registry.keyedGuard("place_order", "exchange", false);
    Guard plain = registry.guard("quote", "exchange", false);

    assertThatIllegalArgumentException()
        .isThrownBy(keyed::admit)
        .withMessage("Endpoint 'place_order' has a bucket per key: pass the call's key");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> keyed.call(() -> "x", FailureClassifier.jdk()))
        .withMessage("Endpoint 'place_order' has a bucket per key: pass the call's key");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> plain.admit("alice"))
        .withMessage("Endpoint 'quote' has one bucket for all calls: pass no key");
    assertThat(keyed.breaker().snapshot().probesInFlight()).isZero();
    assertThat(keyed.breaker().snapshot().callsInWindow()).isZero();
  }

  @Test
  void keysShareTheEndpointsBreaker() {
    Guard guard =
        registry(new RateLimiterConfig(1, 5, Duration.ZERO))
            .keyedGuard("place_order", "exchange", false);

    guard.admit("alice").failed("503"); // failThreshold 1: opens

    assertThatExceptionOfType(CircuitOpenException.class)
        .isThrownBy(() -> guard.admit("bob"))
        .satisfies(e -> assertThat(e.breaker()).isEqualTo("exchange"));
    assertThat(guard.keyedRateLimiter().isLive("bob"))
        .as("a call the breaker rejects takes no token")
        .isFalse();
  }

  @Test
  void aKeyedCallThatItsBucketRejectsGivesItsProbeBack() {
    Guard guard =
        registry(new RateLimiterConfig(0.001, 1, Duration.ZERO)) // one token per 1000 s
            .keyedGuard("place_order", "exchange", false);
    guard.admit("alice").succeeded(); // alice's token is spent for 1000 s
    guard.admit("bob").failed("503"); // opens
    ticker.advance(Duration.ofSeconds(5)); // cooldown over: the next call is the probe
    List<String> empty = new ArrayList<>();
    guard.addListener(
        new GuardListener() {
          @Override
          public void onBucketEmpty(Guard g, long waitNanos, boolean admitted) {
            empty.add(waitNanos + (admitted ? " waited" : " rejected"));
          }
        });

    assertThatExceptionOfType(RateLimitedException.class).isThrownBy(() -> guard.admit("alice"));

    assertThat(empty).containsExactly("995000000000 rejected");
    assertThat(guard.breaker().state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(guard.breaker().snapshot().probesInFlight()).isZero();
    GuardedCall probe = guard.admit("carol");
    assertThat(guard.breaker().snapshot().probesInFlight()).isEqualTo(1);
    probe.succeeded();
    assertThat(guard.breaker().state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aKeyedGuardWaitsForItsKeysTokenUpToMaxWait() {
    List<Long> slept = new ArrayList<>();
    Guard guard =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .sleeper(nanos -> slept.add(nanos))
            .rateLimiterDefaults(new RateLimiterConfig(10, 1, Duration.ofMillis(100)))
            .build()
            .keyedGuard("place_order", "exchange", false);

    guard.admit("alice").succeeded();
    guard.admit("alice").succeeded(); // waits 100 ms for its next token
    guard.admit("bob").succeeded(); // its own full bucket

    assertThat(slept).containsExactly(100_000_000L);
    assertThatExceptionOfType(RateLimitedException.class).isThrownBy(() -> guard.admit("alice"));
  }

  @Test
  void aKeyedGuardsBucketsShareTheNamespaceOfKeyedLimiters() {
    ResilienceRegistry registry = registry(RateLimiterConfig.defaults());
    KeyedRateLimiter rule =
        registry.keyedRateLimiter("orders", Limits.of(Limit.of(5, Duration.ofSeconds(1))));

    assertThatIllegalStateException()
        .isThrownBy(() -> registry.keyedGuard("orders", "exchange", false))
        .withMessage(
            "'orders' names two limits per key (inbound rules or endpoints with a key): give each"
                + " its own name");
    assertThatIllegalStateException()
        .isThrownBy(() -> registry.keyedRateLimiter("orders", key -> rule.limits(key)));
    Guard guard = registry.keyedGuard("place_order", "exchange", false);
    assertThat(registry.keyedRateLimiters())
        .containsOnlyKeys("orders", "place_order")
        .containsEntry("place_order", guard.keyedRateLimiter());
    assertThat(registry.findKeyedRateLimiter("orders")).isSameAs(rule);
    assertThat(registry.findKeyedRateLimiter("nothing")).isNull();
    assertThat(registry.rateLimiters()).as("no single bucket for a keyed endpoint").isEmpty();
  }

  @Test
  void observersOfKeyedLimitersSeeEachOnce() {
    ResilienceRegistry registry = registry(RateLimiterConfig.defaults());
    registry.keyedRateLimiter("orders", Limits.of(Limit.of(5, Duration.ofSeconds(1))));
    List<String> seen = new ArrayList<>();

    registry.observeKeyedRateLimiters(limiter -> seen.add(limiter.name()));
    registry.keyedGuard("place_order", "exchange", false);
    registry.keyedGuard("place_order", "exchange", false);

    assertThat(seen).containsExactly("orders", "place_order");
  }

  @Test
  void rejectsAMaxKeysBelowOne() {
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> ResilienceRegistry.builder().maxKeys(0))
        .withMessage("maxKeys must be at least 1, but was 0");
  }
}
