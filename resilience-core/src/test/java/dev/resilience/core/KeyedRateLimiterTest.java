package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The first behaviours of buckets per key; the model and concurrency tests go further. */
class KeyedRateLimiterTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void eachKeyHasItsOwnBucket() {
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "orders", Limits.of(Limit.of(2, Duration.ofSeconds(1))), 10, ticker);

    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse();
    assertThat(limiter.tryAcquire("b")).isTrue();
    assertThat(limiter.nanosUntilAdmitted("a")).isEqualTo(500_000_000L);
    assertThat(limiter.liveKeys()).isEqualTo(2);
  }

  @Test
  void aCallThatOneLimitRejectsTakesFromNone() {
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "orders",
            Limits.of(Limit.of(5, Duration.ofSeconds(1)), Limit.of(2, Duration.ofHours(1))),
            10,
            ticker);

    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse(); // the hourly limit is spent

    assertThat(limiter.availableTokens("a", 0)).isEqualTo(3.0);
    assertThat(limiter.availableTokens("a", 1)).isEqualTo(0.0);
  }
}
