package dev.resilience.benchmarks;

import dev.resilience.core.BreakerInternals;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
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
 * The success path of a closed circuit breaker: ask for permission, read the clock before and after
 * the (empty) call, report the success. One breaker shared by all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BreakerBenchmark {

  private Ticker ticker;
  private CircuitBreaker ours;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jCount;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jTime;
  private dev.failsafe.CircuitBreaker<Object> failsafe;

  @Setup
  public void setUp() {
    ticker = Ticker.system();
    ours = BreakerInternals.newBreaker("bench", CircuitBreakerConfig.defaults(), ticker);
    resilience4jCount =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
            "count",
            io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(100)
                .build());
    resilience4jTime =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
            "time",
            io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(60)
                .build());
    failsafe =
        dev.failsafe.CircuitBreaker.builder()
            .withFailureThreshold(10, Duration.ofSeconds(60))
            .withDelay(Duration.ofSeconds(30))
            .build();
    Sanity.check(
        ours() != BreakerInternals.NO_PERMIT
            && resilience4jCountWindow()
            && resilience4jTimeWindow()
            && failsafe(),
        "every breaker is closed");
  }

  /** Ours (60 s time window, the defaults): {@code tryAcquirePermission}, {@code onSuccess}. */
  @Benchmark
  public long ours() {
    long permit = BreakerInternals.tryAcquirePermission(ours, false);
    long start = ticker.read();
    BreakerInternals.onSuccess(ours, permit, ticker.read() - start);
    return permit;
  }

  /**
   * Resilience4j, count window of 100 calls (its default): {@code tryAcquirePermission}, {@code
   * onSuccess}.
   */
  @Benchmark
  public boolean resilience4jCountWindow() {
    return resilience4jSuccess(resilience4jCount);
  }

  /** Resilience4j, time window of 60 s: {@code tryAcquirePermission}, {@code onSuccess}. */
  @Benchmark
  public boolean resilience4jTimeWindow() {
    return resilience4jSuccess(resilience4jTime);
  }

  /**
   * Failsafe, failures counted over 60 s: {@code tryAcquirePermit}, {@code recordSuccess}. It takes
   * no duration (it has no slow-call rule), so it reads no clock: slightly less work than the
   * others.
   */
  @Benchmark
  public boolean failsafe() {
    boolean permitted = failsafe.tryAcquirePermit();
    failsafe.recordSuccess();
    return permitted;
  }

  private static boolean resilience4jSuccess(
      io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
    boolean permitted = breaker.tryAcquirePermission();
    long start = breaker.getCurrentTimestamp();
    breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
    return permitted;
  }
}
