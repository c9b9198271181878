package dev.resilience.benchmarks;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.redis.RedisRateLimitBackend;
import dev.resilience.spring.redis.RedisRateLimiterFactory;
import dev.resilience.testredis.LocalRedisServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A decision of our Redis-backed bucket while Redis is down, with the defaults an application gets
 * ({@code timeout: 20ms}, {@code on-failure: local}, no lease): the set-up starts Redis, checks
 * that Redis decides, then stops the server, as a crash would. The first calls wait out the timeout
 * until the backend's breaker opens (warm-up); from then on the in-process bucket decides, and once
 * a second one call probes Redis again and waits up to the timeout: that probe is in the measured
 * distribution, at its top.
 *
 * <p>{@link #firstDecisionsAfterStop} times, one by one, the decisions right after the stop, which
 * the warm-up hides here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RedisDownBenchmark {

  private LocalRedisServer redis;
  private Down down;

  @Setup(Level.Trial)
  public void setUp() {
    redis = LocalRedisServer.start();
    down = new Down(redis);
    redis.stop();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      Sanity.check(
          down.backend.errors() > 0 && !down.backend.isUp(),
          "Redis was down: our backend saw it fail and is deciding locally");
    } finally {
      down.close();
      redis.close();
    }
  }

  /** Ours: {@code tryAcquire()} while Redis is down, with the default timeout and on-failure. */
  @Benchmark
  public boolean oursRedisDown() {
    return down.bucket.tryAcquire();
  }

  /**
   * Stops a running Redis under our bucket (defaults as above) and returns the latency of each of
   * the next {@code decisions} decisions, in nanoseconds, in order.
   */
  static long[] firstDecisionsAfterStop(int decisions) {
    try (LocalRedisServer redis = LocalRedisServer.start();
        Down down = new Down(redis)) {
      redis.stop();
      long[] nanos = new long[decisions];
      for (int i = 0; i < decisions; i++) {
        long start = System.nanoTime();
        boolean admitted = down.bucket.tryAcquire();
        nanos[i] = System.nanoTime() - start;
        Sanity.check(admitted, "the in-process bucket admits while Redis is down");
      }
      return nanos;
    }
  }

  /** Our admitting bucket in a started Redis, with the backend's defaults. */
  private static final class Down implements AutoCloseable {

    final LettuceConnectionFactory connections;
    final RedisRateLimitBackend backend;
    final RateLimiter bucket;

    Down(LocalRedisServer redis) {
      ResilienceProperties.Redis defaults = new ResilienceProperties.Redis();
      connections = redis.connections();
      warm(connections);
      backend =
          new RedisRateLimitBackend(
              connections,
              defaults.getTimeout(),
              defaults.getOnFailure(),
              defaults.getLease(),
              Ticker.system());
      RedisLimiters.awaitUp(backend);
      bucket =
          new RedisRateLimiterFactory(backend)
              .create("down", Admitting.ourConfig(), Ticker.system());
      Sanity.check(
          bucket.tryAcquire() && backend.errors() == 0, "Redis decides before it is stopped");
    }

    /**
     * Makes a few decisions on {@code connections} with a long timeout: the first decision of a
     * cold JVM (classes loading, the script sent in full once) can take longer than 20 ms, and the
     * breaker must open because Redis stopped, not because the JVM was cold.
     */
    private static void warm(LettuceConnectionFactory connections) {
      ResilienceProperties.Redis defaults = new ResilienceProperties.Redis();
      RedisRateLimitBackend warming =
          new RedisRateLimitBackend(
              connections, RedisBenchmark.TIMEOUT, defaults.getOnFailure(), 0, Ticker.system());
      try {
        RedisLimiters.awaitUp(warming);
        RateLimiter bucket =
            new RedisRateLimiterFactory(warming)
                .create("warm", Admitting.ourConfig(), Ticker.system());
        for (int i = 0; i < 1000; i++) {
          bucket.tryAcquire();
        }
        Sanity.check(warming.errors() == 0, "Redis answers before it is stopped");
      } finally {
        warming.destroy();
      }
    }

    @Override
    public void close() {
      backend.destroy();
      connections.destroy();
    }
  }
}
