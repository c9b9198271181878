package dev.resilience.benchmarks;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.redis.RedisRateLimitBackend;
import dev.resilience.spring.redis.RedisRateLimiterFactory;
import dev.resilience.testredis.LocalRedisServer;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.command.CommandListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Buckets in one Redis server, ours and Bucket4j's, built the same way for {@link RedisBenchmark}
 * and {@link RedisCommandCount}. Each library has one Lettuce connection of its own (Lettuce
 * multiplexes every thread's commands onto it), as an application has:
 *
 * <ul>
 *   <li>ours: {@link RedisRateLimiterFactory} over a {@link RedisRateLimitBackend} on Spring Data
 *       Redis's {@link LettuceConnectionFactory}, what {@code backend: redis} builds; one backend
 *       without a lease and one with a lease of {@value #LEASE};
 *   <li>Bucket4j: {@code Bucket4jLettuce.casBasedBuilder(connection)}, its compare-and-swap proxy
 *       manager, with the expiry its documentation recommends (a key lives until its bucket would
 *       be full again, plus 10 s), as our keys expire once full; and the same with its {@code
 *       batching} optimization, which merges the concurrent requests of one JVM.
 * </ul>
 */
final class RedisLimiters implements AutoCloseable {

  /** The tokens the leased backend takes per round trip. */
  static final int LEASE = 100;

  /**
   * One token an hour and a burst of 1: a bucket drained by its first call stays empty for the
   * whole run, so that every later call is a rejection.
   */
  static final RateLimiterConfig EMPTYING = new RateLimiterConfig(1.0 / 3600, 1, Duration.ZERO);

  private final LettuceConnectionFactory oursConnections;
  private final LettuceConnectionFactory leasedConnections;
  private final RedisRateLimitBackend ours;
  private final RedisRateLimitBackend leased;
  private final RedisClient bucket4jClient;
  private final StatefulRedisConnection<byte[], byte[]> bucket4jConnection;
  private final ProxyManager<byte[]> bucket4j;

  /**
   * Connects both libraries to {@code redis} and waits until our backends are up.
   *
   * @param timeout our backends' {@code timeout}
   * @param oursListener told of every command our backends send, or null
   * @param bucket4jListener told of every command Bucket4j sends, or null
   */
  RedisLimiters(
      LocalRedisServer redis,
      Duration timeout,
      @Nullable CommandListener oursListener,
      @Nullable CommandListener bucket4jListener) {
    oursConnections = redis.connections();
    leasedConnections = redis.connections();
    if (oursListener != null) {
      // before the first connection: Lettuce wires listeners into a connection when it opens
      oursConnections.getRequiredNativeClient().addListener(oursListener);
      leasedConnections.getRequiredNativeClient().addListener(oursListener);
    }
    ResilienceProperties.Redis defaults = new ResilienceProperties.Redis();
    ours =
        new RedisRateLimitBackend(
            oursConnections, timeout, defaults.getOnFailure(), 0, Ticker.system());
    leased =
        new RedisRateLimitBackend(
            leasedConnections, timeout, defaults.getOnFailure(), LEASE, Ticker.system());

    bucket4jClient = RedisClient.create(redis.uri());
    if (bucket4jListener != null) {
      bucket4jClient.addListener(bucket4jListener);
    }
    bucket4jConnection = bucket4jClient.connect(ByteArrayCodec.INSTANCE);
    bucket4j =
        Bucket4jLettuce.casBasedBuilder(bucket4jConnection)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(10)))
            .build();
    awaitUp(ours);
    awaitUp(leased);
  }

  /** Waits until {@code backend} has connected (it connects on a thread of its own). */
  static void awaitUp(RedisRateLimitBackend backend) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!backend.isUp()) {
      Sanity.check(
          System.nanoTime() < deadline,
          "our Redis backend connects within 10 s (last error: " + backend.lastError() + ")");
      Thread.onSpinWait();
    }
  }

  /** Our endpoint bucket {@code name} in Redis, one script call per decision. */
  RateLimiter ours(String name, RateLimiterConfig config) {
    return new RedisRateLimiterFactory(ours).create(name, config, Ticker.system());
  }

  /** Our endpoint bucket {@code name} in Redis, one script call per {@value #LEASE} decisions. */
  RateLimiter oursLeased(String name, RateLimiterConfig config) {
    return new RedisRateLimiterFactory(leased).create(name, config, Ticker.system());
  }

  /** Bucket4j's bucket at Redis key {@code key}. */
  Bucket bucket4j(String key, Bandwidth limit) {
    BucketConfiguration configuration = BucketConfiguration.builder().addLimit(limit).build();
    return bucket4j.builder().build(key.getBytes(StandardCharsets.UTF_8), () -> configuration);
  }

  /**
   * Bucket4j's bucket at Redis key {@code key}, with its {@code batching} optimization: requests
   * that arrive while one is in flight on this proxy wait, and go to Redis together as one
   * compare-and-swap.
   */
  Bucket bucket4jBatching(String key, Bandwidth limit) {
    BucketConfiguration configuration = BucketConfiguration.builder().addLimit(limit).build();
    return bucket4j
        .builder()
        .withOptimization(Optimizations.batching())
        .build(key.getBytes(StandardCharsets.UTF_8), () -> configuration);
  }

  /** Bucket4j's limit matching {@link #EMPTYING}: a token an hour, a burst of 1. */
  static Bandwidth bucket4jEmptying() {
    return Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofHours(1)).build();
  }

  /**
   * Returns how many of our calls to Redis failed or timed out, so far: while it is 0, every
   * decision of ours was Redis's, none was taken locally by {@code on-failure}.
   */
  long oursErrors() {
    return ours.errors() + leased.errors();
  }

  @Override
  public void close() {
    ours.destroy();
    leased.destroy();
    oursConnections.destroy();
    leasedConnections.destroy();
    bucket4jConnection.close();
    bucket4jClient.shutdown();
  }
}
