package dev.resilience.benchmarks;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The bucket's non-blocking acquire on a bucket that always has tokens. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TokenBucketBenchmark {

  private final RateLimiter bucket =
      RateLimiter.tokenBucket(
          "bench", new RateLimiterConfig(RateLimiterConfig.MAX_RATE, 1_000_000, Duration.ZERO), Ticker.system());

  @Benchmark
  public boolean tryAcquire() {
    return bucket.tryAcquire();
  }
}
