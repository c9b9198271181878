package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenBucketTest {

  private final FakeTicker ticker = new FakeTicker();

  private RateLimiter bucket(double rate, int burst) {
    return RateLimiter.tokenBucket(
        "place_order", new RateLimiterConfig(rate, burst, Duration.ZERO), ticker);
  }

  @Test
  void aBucketIsNamedAfterItsEndpointAndShowsItsSettings() {
    RateLimiter bucket = bucket(5, 10);

    assertThat(bucket.name()).isEqualTo("place_order");
    assertThat(bucket)
        .hasToString(
            "TokenBucket{place_order, RateLimiterConfig[capacityPerSecond=5.0, burst=10, maxWait=PT0S]}");
  }

  @Test
  void startsFullWithBurstTokens() {
    RateLimiter bucket = bucket(5, 10);

    assertThat(bucket.availableTokens()).isEqualTo(10.0);
    for (int i = 0; i < 10; i++) {
      assertThat(bucket.tryAcquire()).as("token %d", i).isTrue();
    }
    assertThat(bucket.tryAcquire()).isFalse();
    assertThat(bucket.availableTokens()).isZero();
  }

  @Test
  void refillsContinuouslyAtTheConfiguredRate() {
    RateLimiter bucket = bucket(4, 4); // one token every 250 ms
    drain(bucket);

    ticker.advance(Duration.ofMillis(125));
    assertThat(bucket.availableTokens()).isCloseTo(0.5, within(1e-9));
    assertThat(bucket.tryAcquire()).isFalse();

    ticker.advance(Duration.ofMillis(125));
    assertThat(bucket.availableTokens()).isCloseTo(1.0, within(1e-9));
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
  }

  @Test
  void neverHoldsMoreThanBurstAfterAnyIdleTime() {
    RateLimiter bucket = bucket(100, 3);
    drain(bucket);

    ticker.advance(Duration.ofHours(5));

    assertThat(bucket.availableTokens()).isEqualTo(3.0);
    assertThat(drain(bucket)).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0} tokens/s refill {2} tokens in {1} ms")
  @CsvSource({
    "0.5, 1999, 0",
    "0.5, 2000, 1",
    "0.5, 10000, 5",
    "2.5, 399, 0",
    "2.5, 400, 1",
    "2.5, 4000, 10",
    "1000, 1, 1"
  })
  void fractionalRatesRefillProportionally(double rate, long millis, int expected) {
    RateLimiter bucket = bucket(rate, 100);
    drain(bucket);

    ticker.advance(Duration.ofMillis(millis));

    assertThat(drain(bucket)).isEqualTo(expected);
  }

  @Test
  void intervalIsRoundedUpSoTheRateIsNeverExceeded() {
    RateLimiterConfig config = new RateLimiterConfig(3, 1, Duration.ZERO);

    assertThat(config.intervalNanos()).isEqualTo(333_333_334L);
    assertThat(config.intervalNanos() * 3).isGreaterThanOrEqualTo(1_000_000_000L);
  }

  @Test
  void maxWaitZeroRejectsAtOnceAndTakesNothing() {
    RateLimiter bucket = bucket(1, 1);
    drain(bucket);
    ticker.advance(Duration.ofMillis(999));

    assertThat(bucket.tryReserve(0)).isEqualTo(RateLimiter.REJECTED);
    ticker.advance(Duration.ofMillis(1));
    assertThat(bucket.tryReserve(0)).isZero();
  }

  @Test
  void reservesTheNextTokenWhenItComesWithinMaxWait() {
    RateLimiter bucket = bucket(10, 1); // a token every 100 ms
    drain(bucket);
    ticker.advance(Duration.ofMillis(30));

    assertThat(bucket.tryReserve(Duration.ofMillis(70).toNanos()))
        .isEqualTo(Duration.ofMillis(70).toNanos());
    assertThat(bucket.availableTokens()).as("the reserved token is spent").isZero();
  }

  @Test
  void rejectsAReservationThatWouldWaitLongerThanMaxWait() {
    RateLimiter bucket = bucket(10, 1);
    drain(bucket);

    assertThat(bucket.tryReserve(Duration.ofMillis(99).toNanos())).isEqualTo(RateLimiter.REJECTED);
    assertThat(bucket.nanosUntilToken())
        .as("nothing was taken")
        .isEqualTo(Duration.ofMillis(100).toNanos());
  }

  @Test
  void waitingCallersAreServedInOrderEachReservingItsOwnFutureToken() {
    RateLimiter bucket = bucket(10, 2);
    drain(bucket);
    long maxWait = Duration.ofSeconds(1).toNanos();

    long first = bucket.tryReserve(maxWait);
    long second = bucket.tryReserve(maxWait);
    long third = bucket.tryReserve(maxWait);

    assertThat(first).isEqualTo(100_000_000L);
    assertThat(second).isEqualTo(200_000_000L);
    assertThat(third).isEqualTo(300_000_000L);
    assertThat(bucket.tryReserve(Duration.ofMillis(350).toNanos()))
        .as("the fourth would wait 400 ms")
        .isEqualTo(RateLimiter.REJECTED);
    ticker.advance(Duration.ofMillis(300));
    assertThat(bucket.tryAcquire()).as("every token up to now was reserved").isFalse();
    ticker.advance(Duration.ofMillis(100));
    assertThat(bucket.tryAcquire()).isTrue();
  }

  @Test
  void nanosUntilTokenTellsWhenARejectedCallerShouldRetry() {
    RateLimiter bucket = bucket(4, 2);
    assertThat(bucket.nanosUntilToken()).isZero();
    drain(bucket);

    assertThat(bucket.nanosUntilToken()).isEqualTo(250_000_000L);
    assertThat(bucket.retryAfter()).isEqualTo(Duration.ofMillis(250));
    ticker.advance(Duration.ofMillis(100));
    assertThat(bucket.nanosUntilToken()).isEqualTo(150_000_000L);
  }

  @Test
  void admitsAtMostBurstPlusRateTimesElapsedWhenHammered() {
    RateLimiter bucket = bucket(7, 5);
    long step = 13_000_001; // not a divisor of the interval
    int admitted = 0;
    long elapsed = 0;
    for (int i = 0; i < 10_000; i++) {
      admitted += bucket.tryAcquire() ? 1 : 0;
      ticker.advanceNanos(step);
      elapsed += step;
    }
    assertThat((double) admitted).isLessThanOrEqualTo(5 + 7 * elapsed / 1e9);
    assertThat((double) admitted).as("and does not under-admit").isGreaterThan(7 * elapsed / 1e9);
  }

  @Test
  void blockingAcquireWaitsForTheReservedTokenOnTheRealClock() throws InterruptedException {
    RateLimiter bucket =
        RateLimiter.tokenBucket(
            "quote", new RateLimiterConfig(50, 1, Duration.ofMillis(200)), Ticker.system());
    // read before the first token is taken: the second token is due 20 ms after that, so however
    // long this thread is descheduled in between, the second acquire cannot return sooner
    long start = System.nanoTime();
    assertThat(bucket.acquire()).isTrue();
    assertThat(bucket.acquire()).isTrue();
    long waited = System.nanoTime() - start;

    assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
  }

  @Test
  void blockingAcquireRejectsWithoutWaitingWhenTheTokenIsBeyondMaxWait()
      throws InterruptedException {
    RateLimiter bucket =
        RateLimiter.tokenBucket(
            "quote", new RateLimiterConfig(0.1, 1, Duration.ofMillis(100)), ticker);
    assertThat(bucket.acquire()).isTrue();

    assertThat(bucket.acquire()).isFalse();
  }

  @Test
  void interruptedWaiterThrowsAndKeepsItsTokenSpent() {
    RateLimiter bucket =
        RateLimiter.tokenBucket(
            "quote", new RateLimiterConfig(1, 1, Duration.ofSeconds(5)), Ticker.system());
    bucket.tryAcquire();
    Thread.currentThread().interrupt();

    try {
      bucket.acquire();
      org.junit.jupiter.api.Assertions.fail("expected InterruptedException");
    } catch (InterruptedException expected) {
      assertThat(bucket.tryReserve(Duration.ofMillis(1500).toNanos()))
          .as("the next token is the one after the interrupted caller's")
          .isEqualTo(RateLimiter.REJECTED);
    }
  }

  @Test
  void holdEmptyUntilHandsOutNoTokenBeforeThenExactlyOneAtThenAndRefillsAfter() {
    RateLimiter bucket = bucket(4, 4); // one token every 250 ms, full
    long until = ticker.read() + Duration.ofSeconds(2).toNanos();

    bucket.holdEmptyUntil(until);

    assertThat(bucket.availableTokens()).isZero();
    assertThat(bucket.nanosUntilToken()).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(bucket.tryAcquire()).isFalse();
    ticker.advanceNanos(Duration.ofSeconds(2).toNanos() - 1);
    assertThat(bucket.tryAcquire()).isFalse();
    assertThat(bucket.nanosUntilToken()).isEqualTo(1);

    ticker.advanceNanos(1);
    assertThat(bucket.availableTokens()).isCloseTo(1.0, within(1e-9));
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();

    ticker.advance(Duration.ofSeconds(1));
    assertThat(drain(bucket)).isEqualTo(4); // the whole burst again
  }

  @Test
  void holdEmptyUntilNeverShortensAHoldOrAnEmptierBucket() {
    RateLimiter bucket = bucket(4, 4);
    long now = ticker.read();

    bucket.holdEmptyUntil(now + Duration.ofSeconds(5).toNanos());
    bucket.holdEmptyUntil(now + Duration.ofSeconds(2).toNanos());

    assertThat(bucket.nanosUntilToken()).isEqualTo(Duration.ofSeconds(5).toNanos());
    bucket.holdEmptyUntil(now - Duration.ofSeconds(1).toNanos());
    assertThat(bucket.nanosUntilToken()).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void holdEmptyUntilKeepsTheReservationsAlreadyHandedOut() {
    RateLimiter bucket =
        RateLimiter.tokenBucket(
            "place_order", new RateLimiterConfig(1, 1, Duration.ofSeconds(10)), ticker);
    assertThat(bucket.tryReserve(0)).isZero();
    assertThat(bucket.tryReserve(Duration.ofSeconds(10).toNanos()))
        .isEqualTo(Duration.ofSeconds(1).toNanos()); // reserved for 1 s from now

    bucket.holdEmptyUntil(ticker.read() + Duration.ofSeconds(3).toNanos());

    // the next caller waits for the end of the hold, behind the reservation
    assertThat(bucket.tryReserve(Duration.ofSeconds(10).toNanos()))
        .isEqualTo(Duration.ofSeconds(3).toNanos());
  }

  private static int drain(RateLimiter bucket) {
    int taken = 0;
    while (bucket.tryAcquire()) {
      taken++;
    }
    return taken;
  }
}
