package dev.resilience.benchmarks;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.Bulkhead;
import dev.resilience.core.BulkheadConfig;
import dev.resilience.core.Ticker;
import java.time.Duration;
import java.util.Optional;
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
 * One slot taken and given back, as a call of an endpoint with a concurrency limit does: our fixed
 * bulkhead ({@code tryAcquire(0)}, {@code release()}), our adaptive limit, AIMD and gradient
 * ({@code tryAcquire()}, {@code onSuccess(rtt)}), and Netflix's {@code SimpleLimiter} with its
 * {@code AIMDLimit} ({@code acquire}, {@code onSuccess()}, which reads the clock twice to time the
 * call itself). One limiter shared by all threads, with room for every thread: nothing is rejected.
 * The call's round trip is a constant, as the caller would have measured it already.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AdaptiveLimitBenchmark {

  private static final long RTT_NANOS = 1_000_000;

  private Bulkhead bulkhead;
  private AdaptiveLimit aimd;
  private AdaptiveLimit gradient;
  private SimpleLimiter<Void> netflix;

  @Setup
  public void setUp() throws InterruptedException {
    bulkhead = Bulkhead.of("bench", new BulkheadConfig(64, Duration.ZERO));
    AdaptiveLimitConfig config = AdaptiveLimitConfig.defaults().withLimits(64, 64, 64);
    aimd = AdaptiveLimit.of("bench", config, Ticker.system());
    gradient =
        AdaptiveLimit.of(
            "bench", config.withAlgorithm(AdaptiveLimitConfig.Algorithm.GRADIENT), Ticker.system());
    netflix =
        SimpleLimiter.newBuilder()
            .limit(AIMDLimit.newBuilder().initialLimit(64).minLimit(64).maxLimit(64).build())
            .build();
    Sanity.check(bulkhead.tryAcquire(0), "the bulkhead admits");
    bulkhead.release();
    Sanity.check(aimd.tryAcquire() && gradient.tryAcquire(), "our limits admit");
    aimd.onSuccess(RTT_NANOS);
    gradient.onSuccess(RTT_NANOS);
    Optional<Limiter.Listener> taken = netflix.acquire(null);
    Sanity.check(taken.isPresent(), "Netflix's limiter admits");
    taken.get().onSuccess();
  }

  /** Our fixed bulkhead: the floor the issue measures against. */
  @Benchmark
  public boolean bulkhead() throws InterruptedException {
    boolean taken = bulkhead.tryAcquire(0);
    if (taken) {
      bulkhead.release();
    }
    return taken;
  }

  /** Our adaptive limit, AIMD (the default). */
  @Benchmark
  public boolean adaptiveAimd() {
    boolean taken = aimd.tryAcquire();
    if (taken) {
      aimd.onSuccess(RTT_NANOS);
    }
    return taken;
  }

  /** Our adaptive limit, gradient. */
  @Benchmark
  public boolean adaptiveGradient() {
    boolean taken = gradient.tryAcquire();
    if (taken) {
      gradient.onSuccess(RTT_NANOS);
    }
    return taken;
  }

  /** Netflix concurrency-limits: {@code SimpleLimiter} with {@code AIMDLimit}. */
  @Benchmark
  public boolean netflixAimd() {
    Optional<Limiter.Listener> taken = netflix.acquire(null);
    taken.ifPresent(Limiter.Listener::onSuccess);
    return taken.isPresent();
  }
}
