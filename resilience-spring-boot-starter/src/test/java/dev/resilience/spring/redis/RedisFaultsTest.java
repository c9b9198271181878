package dev.resilience.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Redis.OnFailure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A Redis that dies, comes back or stalls never makes a call wait past {@code redis.timeout}: the
 * failing calls are decided by {@code on-failure}, the breaker around Redis then keeps calls off it
 * until it answers again, and the switch and the way back are logged once each.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisFaultsTest {

  /**
   * The timeout: longer than the default 20 ms, so that a loaded CI machine does not miss it while
   * Redis is healthy (which would make the local bucket decide and the counts below drift).
   */
  private static final long TIMEOUT_NANOS = 200_000_000;

  /**
   * What a busy machine may add to it: generous, because timings are noisy on shared CI machines
   * (the benchmarks measure the real figures), yet far below what a call that waited on Redis would
   * take (the DEBUG SLEEP below lasts 3 s; Lettuce's own command timeout is 60 s).
   */
  private static final long SLACK_NANOS = 800_000_000;

  private static RealRedis redis;
  private RealRedis.Instance instance;
  private RedisRateLimitBackend backend;

  @BeforeAll
  static void startRedis() {
    redis = RealRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void close() {
    instance.close();
    redis.restart();
  }

  private RateLimiter limiter(String name, OnFailure onFailure) {
    instance = redis.instance(Duration.ofNanos(TIMEOUT_NANOS), onFailure, 0);
    backend = instance.backend();
    // three per hour: the local buckets, full at the switch, admit three and then reject
    return new RedisRateLimiterFactory(backend)
        .create(name, new RateLimiterConfig(3 / 3600.0, 3, Duration.ZERO), Ticker.system());
  }

  /** Decides {@code calls} calls; returns how many were admitted and checks each one's time. */
  private static int decide(RateLimiter limiter, int calls) {
    int admitted = 0;
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      boolean took = limiter.tryAcquire();
      long took_nanos = System.nanoTime() - start;
      assertThat(took_nanos)
          .as("call %d decided within the timeout and slack", i)
          .isLessThan(TIMEOUT_NANOS + SLACK_NANOS);
      admitted += took ? 1 : 0;
    }
    return admitted;
  }

  @ParameterizedTest
  @EnumSource(OnFailure.class)
  void whenRedisDiesEveryCallIsDecidedByTheFailurePolicyWithinTheTimeout(OnFailure onFailure) {
    RateLimiter limiter = limiter("dies_" + onFailure, onFailure);
    assertThat(decide(limiter, 2)).as("on Redis").isEqualTo(2);

    long errorsBefore = backend.errors();
    redis.stop();
    int admitted = decide(limiter, 20);

    assertThat(backend.isUp()).isFalse();
    assertThat(backend.errors() - errorsBefore)
        .as("the breaker opened after 3 failures")
        .isEqualTo(3);
    assertThat(admitted)
        .isEqualTo(
            switch (onFailure) {
              case LOCAL -> 3; // this instance's own bucket of 3
              case ALLOW -> 20;
              case DENY -> 0;
            });
  }

  @Test
  void whenRedisComesBackCallsGoBackToItAndBothSwitchesAreLoggedOnce(CapturedOutput output)
      throws Exception {
    RateLimiter limiter = limiter("comes_back", OnFailure.LOCAL);
    List<String> switches = new CopyOnWriteArrayList<>();
    backend.onSwitch((toRedis, why) -> switches.add(toRedis ? "back" : "away: " + (why != null)));
    assertThat(decide(limiter, 3)).as("the shared bucket's 3").isEqualTo(3);
    redis.stop();
    assertThat(decide(limiter, 10))
        .as("the local bucket's 3 (errors %d: %s)", backend.errors(), backend.lastError())
        .isEqualTo(3);
    Thread.sleep(2_500); // down long enough for a probe to fail: no new switch, no new log line
    assertThat(decide(limiter, 3)).as("the probe fails, the empty local bucket decides").isZero();

    redis.restart();
    int admittedByRedis = 0;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!backend.isUp() && System.nanoTime() < deadline) {
      admittedByRedis += decide(limiter, 1); // the local bucket is empty: only Redis admits
      Thread.sleep(50);
    }

    assertThat(backend.isUp()).as("back on Redis within 20 s").isTrue();
    admittedByRedis += decide(limiter, 5);
    assertThat(admittedByRedis).as("the restarted server's fresh bucket of 3").isEqualTo(3);
    assertThat(occurrences(output.getOut(), "Redis does not answer the rate limiters")).isOne();
    assertThat(occurrences(output.getOut(), "Redis answers the rate limiters again")).isOne();
    assertThat(switches)
        .as("each switch told once, the way away with its reason")
        .containsExactly("away: true", "back");
  }

  @Test
  void whileRedisStallsCallsDoNotWaitPastTheTimeout() throws Exception {
    RateLimiter limiter = limiter("stalls", OnFailure.DENY);
    assertThat(limiter.tryAcquire()).as("on Redis").isTrue();
    long errorsBefore = backend.errors();
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
    try (StatefulRedisConnection<String, String> other = client.connect()) {
      RedisFuture<String> stall =
          other
              .async()
              .dispatch(
                  CommandType.DEBUG,
                  new StatusOutput<>(StringCodec.UTF8),
                  new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(3));
      Thread.sleep(300);
      assertThat(stall.isDone()).as("the server is asleep").isFalse();

      List<Long> times = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        assertThat(limiter.tryAcquire()).as("denied while Redis stalls").isFalse();
        times.add(System.nanoTime() - start);
      }
      stall.get();

      assertThat(times).allSatisfy(t -> assertThat(t).isLessThan(TIMEOUT_NANOS + SLACK_NANOS));
      assertThat(backend.errors() - errorsBefore).as("timeouts counted").isEqualTo(3);
    } finally {
      client.shutdown();
    }
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
