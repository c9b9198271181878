package dev.resilience.benchmarks;

import dev.resilience.core.RateLimiter;
import dev.resilience.testredis.LocalRedisServer;
import io.github.bucket4j.Bucket;
import java.time.Duration;
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

/**
 * A decision on one hot key in Redis, ours against Bucket4j's Redis integration, both on one
 * redis-server that the benchmark starts on 127.0.0.1 ({@link LocalRedisServer}), in the same run:
 * every thread asks the same bucket. Decisions per microsecond of all threads together ({@code
 * thrpt}), and the distribution of one decision's latency ({@code sample}: p50, p99).
 *
 * <p>The admitting buckets take {@link Admitting}'s 1e9 tokens a second with a second's burst, so
 * that every call measures an admission, never a refusal; the {@code ...Rejecting} pair measures an
 * empty bucket. See {@link RedisLimiters} for how each library is connected.
 *
 * <p>Run it at several thread counts ({@code -t 1}, {@code -t 8}); {@link RedisReport} runs it at
 * 1, 2 and 8 and prints the table.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RedisBenchmark {

  /**
   * Our backends' timeout here: long enough that no decision of a loaded machine times out and is
   * taken locally, which would measure the in-process bucket instead of Redis. The tear-down checks
   * that none did. (The default, 20 ms, is what {@link RedisDownBenchmark} measures.)
   */
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private LocalRedisServer redis;
  private RedisLimiters limiters;
  private RateLimiter ours;
  private RateLimiter oursLease100;
  private RateLimiter oursEmpty;
  private Bucket bucket4j;
  private Bucket bucket4jBatching;
  private Bucket bucket4jEmpty;

  @Setup(Level.Trial)
  public void setUp() {
    redis = LocalRedisServer.start();
    limiters = new RedisLimiters(redis, TIMEOUT, null, null);
    ours = limiters.ours("hot", Admitting.ourConfig());
    oursLease100 = limiters.oursLeased("hot-leased", Admitting.ourConfig());
    oursEmpty = limiters.ours("empty", RedisLimiters.EMPTYING);
    bucket4j = limiters.bucket4j("bucket4j:hot", Admitting.bucket4jLimit());
    bucket4jBatching =
        limiters.bucket4jBatching("bucket4j:hot-batching", Admitting.bucket4jLimit());
    bucket4jEmpty = limiters.bucket4j("bucket4j:empty", RedisLimiters.bucket4jEmptying());
    Sanity.check(
        ours.tryAcquire()
            && oursLease100.tryAcquire()
            && bucket4j.tryConsume(1)
            && bucket4jBatching.tryConsume(1),
        "every admitting bucket admits");
    Sanity.check(oursEmpty.tryAcquire() && !oursEmpty.tryAcquire(), "our emptying bucket empties");
    Sanity.check(
        bucket4jEmpty.tryConsume(1) && !bucket4jEmpty.tryConsume(1),
        "Bucket4j's emptying bucket empties");
    Sanity.check(limiters.oursErrors() == 0, "every decision of ours so far was Redis's");
  }

  /**
   * Fails the run unless every decision of ours was Redis's: a call that failed or timed out is
   * decided by the in-process bucket, and would make the figures those of a local bucket.
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      Sanity.check(
          limiters.oursErrors() == 0,
          "every decision of ours was Redis's, but "
              + limiters.oursErrors()
              + " calls to Redis failed or timed out");
    } finally {
      limiters.close();
      redis.close();
    }
  }

  /** Ours: {@code tryAcquire()}, one {@code EVALSHA} of the GCRA script per decision. */
  @Benchmark
  public boolean ours() {
    return ours.tryAcquire();
  }

  /**
   * Ours with {@code lease: 100}: one {@code EVALSHA} takes 100 tokens, the next 99 decisions spend
   * them in-process.
   */
  @Benchmark
  public boolean oursLease100() {
    return oursLease100.tryAcquire();
  }

  /** Bucket4j: {@code tryConsume(1)} on its compare-and-swap Lettuce proxy. */
  @Benchmark
  public boolean bucket4j() {
    return bucket4j.tryConsume(1);
  }

  /**
   * Bucket4j with {@code Optimizations.batching()}: concurrent calls on this proxy go to Redis as
   * one compare-and-swap.
   */
  @Benchmark
  public boolean bucket4jBatching() {
    return bucket4jBatching.tryConsume(1);
  }

  /** Ours: {@code tryAcquire()} on an empty bucket. */
  @Benchmark
  public boolean oursRejecting() {
    return oursEmpty.tryAcquire();
  }

  /** Bucket4j: {@code tryConsume(1)} on an empty bucket. */
  @Benchmark
  public boolean bucket4jRejecting() {
    return bucket4jEmpty.tryConsume(1);
  }
}
