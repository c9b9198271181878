package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Changing a bucket's limits while it runs: the tokens it holds are kept, capped, and owed. */
class LimitChangeTest {

  private final FakeTicker ticker = new FakeTicker();

  private RateLimiter bucket(double rate, int burst) {
    return RateLimiter.tokenBucket(
        "place_order", new RateLimiterConfig(rate, burst, Duration.ofSeconds(1)), ticker);
  }

  private static int drain(RateLimiter bucket) {
    int taken = 0;
    while (bucket.tryAcquire()) {
      taken++;
    }
    return taken;
  }

  @Test
  void whenLimitsChangeThenConfigShowsTheNewOnesAndTheOldAreReturned() {
    RateLimiter bucket = bucket(5, 10);

    RateLimiterConfig before = bucket.changeLimits(2.0, 4);

    assertThat(before).isEqualTo(new RateLimiterConfig(5, 10, Duration.ofSeconds(1)));
    assertThat(bucket.config()).isEqualTo(new RateLimiterConfig(2.0, 4, Duration.ofSeconds(1)));
  }

  @Test
  void whenTheBurstShrinksThenTheTokensHeldAreCappedAtTheNewBurst() {
    RateLimiter bucket = bucket(5, 10);
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryAcquire()).isTrue();
    }

    bucket.changeLimits(2.0, 4);

    assertThat(bucket.availableTokens()).isEqualTo(4.0);
    assertThat(drain(bucket)).isEqualTo(4);
  }

  @Test
  void whenTheBurstGrowsThenTheTokensHeldAreKeptNotFilledUp() {
    RateLimiter bucket = bucket(5, 10);
    for (int i = 0; i < 7; i++) {
      bucket.tryAcquire();
    }

    bucket.changeLimits(5, 100);

    assertThat(bucket.availableTokens()).isEqualTo(3.0);
    assertThat(drain(bucket)).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(2)); // refills at the new rate, toward the new burst
    assertThat(bucket.availableTokens()).isEqualTo(10.0);
  }

  @Test
  void whenTokensWereReservedAheadThenTheDebtStaysOwedUnderTheNewRate() {
    RateLimiter bucket = bucket(10, 1); // one token every 100 ms
    assertThat(bucket.tryReserve(0)).isZero();
    assertThat(bucket.tryReserve(Duration.ofSeconds(1).toNanos()))
        .isEqualTo(Duration.ofMillis(100).toNanos()); // one token owed

    bucket.changeLimits(1, 1); // one token a second

    // the owed token is repaid first, then one comes per second: two seconds until the next
    assertThat(bucket.nanosUntilToken()).isEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void whenRestoredThenTheConfiguredLimitsApplyWithTheTokensKept() {
    RateLimiter bucket = bucket(5, 10);
    bucket.changeLimits(1, 2);
    bucket.tryAcquire();

    bucket.changeLimits(5, 10);

    assertThat(bucket.config()).isEqualTo(new RateLimiterConfig(5, 10, Duration.ofSeconds(1)));
    assertThat(bucket.availableTokens()).isEqualTo(1.0);
  }

  @Test
  void whenTheValuesAreInvalidThenNothingChanges() {
    RateLimiter bucket = bucket(5, 10);

    assertThatThrownBy(() -> bucket.changeLimits(Double.NaN, 4))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("capacityPerSecond");
    assertThatThrownBy(() -> bucket.changeLimits(2, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("burst");
    assertThat(bucket.config().burst()).isEqualTo(10);
    assertThat(bucket.availableTokens()).isEqualTo(10.0);
  }

  @Test
  void whenAnEndpointIsChangedThroughTheRegistryThenItIsOverriddenUntilRestored() {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterOverride("place_order", new RateLimiterConfig(5, 10, Duration.ofSeconds(1)))
            .build();
    registry.guard("place_order", "exchange", false);

    RateLimiterConfig before = registry.changeLimits("place_order", 2, 4);

    assertThat(before.burst()).isEqualTo(10);
    assertThat(registry.limitsChanged("place_order")).isTrue();
    assertThat(registry.limitsInForce("place_order").burst()).isEqualTo(4);
    assertThat(registry.rateLimiterConfig("place_order").burst()).isEqualTo(10);

    registry.restoreLimits("place_order");

    assertThat(registry.limitsChanged("place_order")).isFalse();
    assertThat(registry.rateLimiter("place_order").config().burst()).isEqualTo(10);
    assertThat(registry.rateLimiter("place_order").availableTokens()).isEqualTo(4.0);
  }

  @Test
  void whenAKeyedEndpointIsChangedThenEveryKeyKeepsItsTokensCappedAtTheNewBurst() {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterOverride("quotes", new RateLimiterConfig(5, 10, Duration.ZERO))
            .build();
    Guard guard = registry.keyedGuard("quotes", "feed", false);
    KeyedRateLimiter keyed = guard.keyedRateLimiter();
    for (int i = 0; i < 8; i++) {
      keyed.tryAcquire("alice"); // 2 left
    }
    keyed.tryAcquire("bob"); // 9 left

    registry.changeLimits("quotes", 1, 4);

    assertThat(registry.limitsInForce("quotes"))
        .isEqualTo(new RateLimiterConfig(1, 4, Duration.ZERO));
    assertThat(registry.limitsChanged("quotes")).isTrue();
    assertThat(keyed.availableTokens("alice", 0)).isEqualTo(2.0);
    assertThat(keyed.availableTokens("bob", 0)).isEqualTo(4.0);
    assertThat(keyed.availableTokens("carol", 0)).isEqualTo(4.0);
    assertThat(keyed.limits("alice").get(0).quota()).isEqualTo(4);
    int bobTook = 0;
    while (keyed.tryAcquire("bob")) {
      bobTook++;
    }
    assertThat(bobTook).isEqualTo(4);
    assertThat(keyed.tryAcquire("alice")).isTrue();
    assertThat(keyed.tryAcquire("alice")).isTrue();
    assertThat(keyed.tryAcquire("alice")).isFalse();

    registry.restoreLimits("quotes");

    assertThat(registry.limitsChanged("quotes")).isFalse();
    assertThat(keyed.limits("bob").get(0).quota()).isEqualTo(10);
    assertThat(keyed.availableTokens("bob", 0)).isEqualTo(0.0);
    ticker.advance(Duration.ofSeconds(1)); // the configured rate again: 5 a second
    assertThat(keyed.availableTokens("bob", 0)).isEqualTo(5.0);
  }

  @Test
  void whenRuleLimitsAreReplacedThenOnlyTheKeysGivenThemChange() {
    Limits defaults = Limits.of(Limit.of(10, Duration.ofSeconds(1)));
    Limits gold = Limits.of(Limit.of(100, Duration.ofSeconds(1)));
    KeyedRateLimiter rule =
        KeyedRateLimiter.inMemory(
            "api", key -> key.startsWith("gold-") ? gold : defaults, 1000, ticker);
    rule.tryAcquire("gold-1");
    rule.tryAcquire("anon-1");

    Limits tighter = Limits.of(Limit.of(3, Duration.ofSeconds(1)));
    rule.replaceLimits(defaults, tighter);

    assertThat(rule.limits("anon-1")).isEqualTo(tighter);
    assertThat(rule.limits("gold-1")).isEqualTo(gold);
    assertThat(rule.availableTokens("anon-1", 0)).isEqualTo(3.0);
    assertThat(rule.availableTokens("gold-1", 0)).isEqualTo(99.0);

    rule.replaceLimits(defaults, defaults);

    assertThat(rule.limits("anon-1")).isEqualTo(defaults);
  }
}
