package dev.resilience.benchmarks;

import dev.resilience.core.BreakerInternals;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
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
 * Turning a call away, through each library's non-throwing check: an open breaker, an empty bucket.
 * This is the path a dependency outage or a traffic spike hammers, so it should be cheap. One
 * component shared by all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RejectionBenchmark {

  /** Long enough that no permit comes back during a run. */
  private static final Duration FOREVER = Duration.ofDays(365);

  private CircuitBreaker oursBreaker;
  private RateLimiter oursBucket;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreaker;
  private io.github.resilience4j.ratelimiter.RateLimiter resilience4jLimiter;
  private Bucket bucket4j;
  private com.google.common.util.concurrent.RateLimiter guava;
  private dev.failsafe.CircuitBreaker<Object> failsafeBreaker;

  @Setup
  public void setUp() {
    Ticker ticker = Ticker.system();
    oursBreaker = BreakerInternals.newBreaker("bench", CircuitBreakerConfig.defaults(), ticker);
    oursBreaker.forceOpen();
    RateLimiterConfig slowest = new RateLimiterConfig(RateLimiterConfig.MIN_RATE, 1, Duration.ZERO);
    oursBucket = RateLimiter.tokenBucket("bench", slowest, ticker);
    oursBucket.tryAcquire();

    resilience4jBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench");
    resilience4jBreaker.transitionToForcedOpenState();
    resilience4jLimiter =
        io.github.resilience4j.ratelimiter.RateLimiter.of(
            "bench",
            io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(FOREVER)
                .timeoutDuration(Duration.ZERO)
                .build());
    resilience4jLimiter.acquirePermission();

    bucket4j =
        Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(1).refillGreedy(1, FOREVER).build())
            .withNanosecondPrecision()
            .build();
    bucket4j.tryConsume(1);

    // Guava grants the first call at once and makes the next one wait for it: one call drains it.
    guava = com.google.common.util.concurrent.RateLimiter.create(RateLimiterConfig.MIN_RATE);
    guava.tryAcquire();

    failsafeBreaker = dev.failsafe.CircuitBreaker.builder().withDelay(FOREVER).build();
    failsafeBreaker.open();

    Sanity.check(
        !oursOpenBreaker()
            && !oursEmptyBucket()
            && !resilience4jOpenBreaker()
            && !resilience4jEmptyLimiter()
            && !bucket4jEmptyBucket()
            && !guavaEmptyLimiter()
            && !failsafeOpenBreaker(),
        "every breaker and limiter rejects");
  }

  /** Ours: {@code tryAcquirePermission} on a forced-open breaker. */
  @Benchmark
  public boolean oursOpenBreaker() {
    return BreakerInternals.tryAcquirePermission(oursBreaker, false) != BreakerInternals.NO_PERMIT;
  }

  /** Ours: {@code tryAcquire()} on an empty bucket (the lowest rate, a burst of 1, drained). */
  @Benchmark
  public boolean oursEmptyBucket() {
    return oursBucket.tryAcquire();
  }

  /** Resilience4j: {@code tryAcquirePermission()} on a forced-open CircuitBreaker. */
  @Benchmark
  public boolean resilience4jOpenBreaker() {
    return resilience4jBreaker.tryAcquirePermission();
  }

  /** Resilience4j: {@code acquirePermission()}, timeout 0, on a drained RateLimiter. */
  @Benchmark
  public boolean resilience4jEmptyLimiter() {
    return resilience4jLimiter.acquirePermission();
  }

  /** Bucket4j: {@code tryConsume(1)} on an empty local bucket. */
  @Benchmark
  public boolean bucket4jEmptyBucket() {
    return bucket4j.tryConsume(1);
  }

  /** Guava: {@code tryAcquire()} on a limiter whose next permit is years away. */
  @Benchmark
  public boolean guavaEmptyLimiter() {
    return guava.tryAcquire();
  }

  /** Failsafe: {@code tryAcquirePermit()} on an open CircuitBreaker. */
  @Benchmark
  public boolean failsafeOpenBreaker() {
    return failsafeBreaker.tryAcquirePermit();
  }
}
