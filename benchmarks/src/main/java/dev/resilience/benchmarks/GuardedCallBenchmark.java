package dev.resilience.benchmarks;

import dev.resilience.core.BreakerInternals;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Ticker;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * One call to a trivial downstream, bare and behind a breaker plus a rate limiter that always
 * admit: what protection adds to every call. The components are shared by all threads, so that two
 * threads contend on the same breaker and bucket as two request threads would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GuardedCallBenchmark {

  /** Not final, so that the JIT must read it on every call instead of folding a constant. */
  private String reply = "pong";

  private Ticker ticker;
  private Guard guard;
  private Callable<String> downstreamCallable;
  private CircuitBreaker breaker;
  private RateLimiter bucket;
  private FailureClassifier classifier;
  private Supplier<String> resilience4jDecorated;

  @Setup
  public void setUp() {
    ticker = Ticker.system();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterDefaults(Admitting.ourConfig())
            .build();
    guard = registry.guard("bench", "bench", false);
    downstreamCallable = this::downstream;
    classifier = FailureClassifier.jdk();
    breaker = BreakerInternals.newBreaker("by-hand", CircuitBreakerConfig.defaults(), ticker);
    bucket = RateLimiter.tokenBucket("by-hand", Admitting.ourConfig(), ticker);

    io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench");
    io.github.resilience4j.ratelimiter.RateLimiter r4jLimiter =
        io.github.resilience4j.ratelimiter.RateLimiter.of("bench", Admitting.resilience4jConfig());
    // The order of Resilience4j's Spring aspects, and ours: the breaker outside, the limiter
    // inside.
    Supplier<String> limited =
        io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(
            r4jLimiter, this::downstream);
    resilience4jDecorated =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(r4jBreaker, limited);
  }

  /** The downstream every benchmark here calls: one field read. */
  private String downstream() {
    return reply;
  }

  /** The floor: the downstream called directly, with no protection. */
  @Benchmark
  public String direct() {
    return downstream();
  }

  /**
   * Ours, as the aspect does it: {@code admit()}, the call, {@code succeeded()} on the admitted
   * call.
   */
  @Benchmark
  public String oursGuard() {
    GuardedCall call = guard.admit();
    String result = downstream();
    call.succeeded();
    return result;
  }

  /** Ours, through the convenience method {@code Guard.call(Callable, FailureClassifier)}. */
  @Benchmark
  public String oursGuardCall() throws Exception {
    return guard.call(downstreamCallable, classifier);
  }

  /** Ours, breaker and bucket by hand without a {@code Guard}: permit, token, call, success. */
  @Benchmark
  public String oursByHand() {
    long permit = BreakerInternals.tryAcquirePermission(breaker, false);
    if (permit == BreakerInternals.NO_PERMIT) {
      throw new IllegalStateException("the breaker rejected a call");
    }
    if (!bucket.tryAcquire()) {
      BreakerInternals.releasePermission(breaker, permit);
      throw new IllegalStateException("the bucket rejected a call");
    }
    long start = ticker.read();
    String result = downstream();
    BreakerInternals.onSuccess(breaker, permit, ticker.read() - start);
    return result;
  }

  /**
   * Resilience4j: a default (count window) CircuitBreaker decorating a RateLimiter decorating the
   * call, the way {@code Decorators} and its Spring aspects compose them.
   */
  @Benchmark
  public String resilience4jDecorated() {
    return resilience4jDecorated.get();
  }
}
