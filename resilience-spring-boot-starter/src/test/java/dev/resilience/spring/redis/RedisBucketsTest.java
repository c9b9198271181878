package dev.resilience.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Redis.OnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Buckets in a real Redis, as instances share them: several backends (one per instance, each with
 * its own connection) draw from one bucket; a rejection's retry time and the tokens left come from
 * the decision's own round trip; keys are independent and all of a key's limits take or none.
 */
class RedisBucketsTest {

  private static RealRedis redis;
  private final List<RealRedis.Instance> opened = new ArrayList<>();
  private String name;

  @BeforeAll
  static void startRedis() {
    redis = RealRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void name(TestInfo test) {
    // one bucket per test: the name is the test's, cut to the 64 characters a name may have
    String method = test.getTestMethod().orElseThrow().getName();
    name = method.substring(0, Math.min(64, method.length()));
  }

  @AfterEach
  void closeInstances() {
    opened.forEach(RealRedis.Instance::close);
  }

  /**
   * One instance: its own connection to the shared Redis, its own backend. The timeout is long and
   * a failure denies, so that every admission here is Redis's decision even on a loaded machine
   * ({@link RedisFaultsTest} tests the timeout).
   */
  RedisRateLimitBackend instance(int lease) {
    RealRedis.Instance instance = redis.instance(Duration.ofSeconds(1), OnFailure.DENY, lease);
    opened.add(instance);
    return instance.backend();
  }

  static RateLimiter endpoint(
      RedisRateLimitBackend backend, String name, RateLimiterConfig config) {
    return new RedisRateLimiterFactory(backend).create(name, config, Ticker.system());
  }

  @Test
  void threeInstancesDrawFromOneBucket() {
    RateLimiterConfig fivePerHour = new RateLimiterConfig(5 / 3600.0, 5, Duration.ZERO);
    List<RateLimiter> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      instances.add(endpoint(instance(0), name, fivePerHour));
    }

    int admitted = 0;
    for (int round = 0; round < 4; round++) {
      for (RateLimiter instance : instances) {
        admitted += instance.tryAcquire() ? 1 : 0;
      }
    }

    assertThat(admitted).as("12 calls over 3 instances, one burst of 5").isEqualTo(5);
  }

  @Test
  void aRejectionsRetryTimeComesFromItsOwnRoundTrip() {
    RateLimiter limiter =
        endpoint(instance(0), name, new RateLimiterConfig(1, 1, Duration.ZERO)); // one per second
    assertThat(limiter.tryAcquire()).isTrue();
    long scriptCallsBefore = scriptCalls();

    assertThat(limiter.tryReserve(0)).isEqualTo(RateLimiter.REJECTED);
    long retry = limiter.nanosUntilToken();
    double left = limiter.availableTokens();

    assertThat(scriptCalls() - scriptCallsBefore).as("Redis calls for the rejection").isEqualTo(1);
    assertThat(retry).isBetween(900_000_000L, 1_000_000_000L);
    assertThat(left).isLessThan(0.1);
  }

  @Test
  void aCallThatMayWaitReservesTheNextSlotAndIsToldHowLong() {
    RateLimiter limiter =
        endpoint(
            instance(0),
            name,
            new RateLimiterConfig(1, 1, Duration.ofSeconds(10))); // a second apart

    long first = limiter.tryReserve(10_000_000_000L);
    long second = limiter.tryReserve(10_000_000_000L);
    long third = limiter.tryReserve(1_500_000_000L);

    assertThat(first).isZero();
    assertThat(second).as("the next slot, a second after the first").isBetween(1L, 1_000_000_000L);
    assertThat(third).as("would wait about 2 s").isEqualTo(RateLimiter.REJECTED);
  }

  @Test
  void aHoldByOneInstanceEmptiesTheSharedBucketForEveryInstanceInOneRoundTrip() {
    RateLimiterConfig tenPerSecond = new RateLimiterConfig(10, 10, Duration.ZERO);
    RateLimiter first = endpoint(instance(4), name, tenPerSecond);
    RateLimiter second = endpoint(instance(0), name, tenPerSecond);
    assertThat(first.tryAcquire()).isTrue(); // leases 4: 3 left on this instance
    long scriptCallsBefore = scriptCalls();

    first.holdEmptyUntil(System.nanoTime() + 3_000_000_000L);

    assertThat(scriptCalls() - scriptCallsBefore).as("Redis calls for the hold").isEqualTo(1);
    assertThat(first.tryAcquire()).as("the leased tokens are dropped").isFalse();
    assertThat(second.tryAcquire()).isFalse();
    assertThat(second.nanosUntilToken()).isBetween(2_500_000_000L, 3_000_000_000L);
    second.holdEmptyUntil(System.nanoTime() + 1_000_000_000L);
    assertThat(second.nanosUntilToken())
        .as("a shorter hold leaves the longer one")
        .isBetween(2_500_000_000L, 3_000_000_000L);
  }

  @Test
  void eachKeyHasItsOwnBucketsAndAllOfAKeysLimitsTakeOrNone() {
    KeyedRateLimiter keyed =
        new RedisRateLimiterFactory(instance(0))
            .createKeyed(
                name,
                key ->
                    Limits.of(
                        Limit.of(3, Duration.ofSeconds(10)), Limit.of(2, Duration.ofHours(1))),
                true,
                100,
                Ticker.system());
    String longKey = "k".repeat(500);

    assertThat(keyed.tryAcquire("alice")).isTrue();
    assertThat(keyed.tryAcquire("alice")).isTrue();
    assertThat(keyed.tryAcquire("alice")).as("the hourly limit of 2").isFalse();
    assertThat(keyed.availableTokens("alice", 0))
        .as("the rejected call took nothing from the 10 s limit")
        .isGreaterThan(0.9);
    assertThat(keyed.tryAcquire("bob")).isTrue();
    assertThat(keyed.tryAcquire(longKey)).isTrue();
    assertThat(keyed.isLive("alice")).isTrue();
    assertThat(keyed.isLive("carol")).isFalse();

    assertThat(redis.template().keys("*"))
        .as("Redis names clients by a digest, never by their key")
        .isNotEmpty()
        .noneMatch(name -> name.contains("alice") || name.contains("bob") || name.contains("kkk"))
        .as("a 500-character key too: prefix, a name of at most 64, a digest of 43, the limit")
        .allMatch(name -> name.length() <= 14 + 1 + 64 + 1 + 43 + 1 + 30);

    assertThat(keyed.reset("alice")).isTrue();

    assertThat(keyed.isLive("alice")).isFalse();
    assertThat(keyed.tryAcquire("alice")).isTrue();
  }

  @Test
  void aRuleDecisionAndTheHeadersOfItsAnswerCostOneRoundTrip() {
    KeyedRateLimiter rule =
        new RedisRateLimiterFactory(instance(0))
            .createKeyed(
                name,
                key ->
                    Limits.of(
                        Limit.of(5, Duration.ofSeconds(1)), Limit.of(1000, Duration.ofHours(1))),
                true,
                100,
                Ticker.system());
    long before = scriptCalls();

    // what the inbound filter does for an admitted request that writes RateLimit headers
    assertThat(rule.tryReserve("api-key-1", 0)).isZero();
    double second = rule.availableTokens("api-key-1", 0);
    double hour = rule.availableTokens("api-key-1", 1);
    long untilSecond = rule.nanosUntilToken("api-key-1", 0);
    long untilHour = rule.nanosUntilToken("api-key-1", 1);

    assertThat(scriptCalls() - before).as("Redis calls").isEqualTo(1);
    assertThat(second).isBetween(4.0, 4.1);
    assertThat(hour).isBetween(999.0, 999.1);
    assertThat(untilSecond).isZero();
    assertThat(untilHour).isZero();
  }

  @Test
  void withALeaseEveryInstanceTakesSeveralTokensPerRoundTripAndSpendsThemLocally() {
    RateLimiterConfig tenPerHour = new RateLimiterConfig(10 / 3600.0, 10, Duration.ZERO);
    RateLimiter first = endpoint(instance(4), name, tenPerHour);
    RateLimiter second = endpoint(instance(4), name, tenPerHour);
    long scriptCallsBefore = scriptCalls();

    int admitted = 0;
    for (int i = 0; i < 8; i++) {
      admitted += first.tryAcquire() ? 1 : 0;
      admitted += second.tryAcquire() ? 1 : 0;
    }

    assertThat(admitted).as("16 calls, a burst of 10").isEqualTo(10);
    assertThat(scriptCalls() - scriptCallsBefore)
        .as("round trips: 4 + 4 + 2 tokens leased, then one rejection each per call")
        .isLessThan(16);
  }

  @Test
  void eightThreadsOnThreeLeasingInstancesAdmitAtMostTheBoundPlusWhatLeasesHold() throws Exception {
    int lease = 5;
    RateLimiterConfig fiftyPerSecond = new RateLimiterConfig(50, 10, Duration.ZERO);
    List<RateLimiter> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      instances.add(endpoint(instance(lease), name, fiftyPerSecond));
    }
    AtomicInteger admitted = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (RateLimiter instance : instances) {
      for (int t = 0; t < 8; t++) {
        Thread thread =
            new Thread(
                () -> {
                  long end = System.nanoTime() + 1_000_000_000L;
                  while (System.nanoTime() < end) {
                    if (instance.tryAcquire()) {
                      admitted.incrementAndGet();
                    }
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;

    assertThat((double) admitted.get())
        .as(
            "burst 10 + 50/s x %.2f s + 3 instances x (lease - 1) unspent; Redis errors %d",
            elapsed, opened.stream().mapToLong(i -> i.backend().errors()).sum())
        .isLessThanOrEqualTo(10 + 50 * elapsed + 3 * (lease - 1) + 1)
        .isGreaterThanOrEqualTo(10);
  }

  private static long scriptCalls() {
    String stats =
        redis
            .template()
            .execute(connection -> connection.serverCommands().info("commandstats"), true)
            .getProperty("cmdstat_evalsha");
    if (stats == null) {
      return 0;
    }
    // calls=N,usec=...
    String calls = stats.substring(stats.indexOf("calls=") + 6, stats.indexOf(','));
    return Long.parseLong(calls);
  }
}
