package dev.resilience.benchmarks;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.Ticker;
import io.github.bucket4j.Bucket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Taking one permit, without waiting, from a rate limiter that always has one ({@link Admitting}).
 * One limiter shared by all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LimiterBenchmark {

  private RateLimiter ours;
  private io.github.resilience4j.ratelimiter.RateLimiter resilience4j;
  private Bucket bucket4j;
  private com.google.common.util.concurrent.RateLimiter guava;

  @Setup
  public void setUp() {
    ours = RateLimiter.tokenBucket("bench", Admitting.ourConfig(), Ticker.system());
    resilience4j =
        io.github.resilience4j.ratelimiter.RateLimiter.of("bench", Admitting.resilience4jConfig());
    bucket4j = Admitting.bucket4j();
    guava = Admitting.guava();
    Sanity.check(
        ours.tryAcquire()
            && resilience4j.acquirePermission()
            && bucket4j.tryConsume(1)
            && guava.tryAcquire(),
        "every limiter admits");
  }

  /** Our token bucket: {@code tryAcquire()}. */
  @Benchmark
  public boolean ours() {
    return ours.tryAcquire();
  }

  /** Resilience4j's {@code AtomicRateLimiter}, timeout 0: {@code acquirePermission()}. */
  @Benchmark
  public boolean resilience4j() {
    return resilience4j.acquirePermission();
  }

  /** Bucket4j's lock-free local bucket: {@code tryConsume(1)}. */
  @Benchmark
  public boolean bucket4j() {
    return bucket4j.tryConsume(1);
  }

  /** Guava's {@code RateLimiter} (a lock around its arithmetic): {@code tryAcquire()}. */
  @Benchmark
  public boolean guava() {
    return guava.tryAcquire();
  }
}
