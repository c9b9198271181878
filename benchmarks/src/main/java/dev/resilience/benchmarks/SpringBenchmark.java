package dev.resilience.benchmarks;

import dev.resilience.benchmarks.spring.GuardedQuotes;
import dev.resilience.benchmarks.spring.InterceptedQuotes;
import dev.resilience.benchmarks.spring.PassThroughQuotes;
import dev.resilience.benchmarks.spring.PlainQuotes;
import dev.resilience.benchmarks.spring.QuoteApplication;
import dev.resilience.benchmarks.spring.Resilience4jQuotes;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.ResilienceRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
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
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One call of a bean method in a started Spring Boot application: a plain bean, the same bean
 * behind an {@code @Around} advice and behind a {@code MethodInterceptor} advisor that only proceed
 * (the cost of Spring AOP itself, woven either way), with {@code @Guarded}, and with Resilience4j's
 * {@code @CircuitBreaker} + {@code @RateLimiter}. The set-up proves that each aspect applies before
 * anything is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SpringBenchmark {

  /** Not final, so that the JIT cannot fold the call into a constant. */
  private String symbol = "BTC-USD";

  private ConfigurableApplicationContext context;
  private PlainQuotes plain;
  private PassThroughQuotes passThrough;
  private InterceptedQuotes intercepted;
  private GuardedQuotes guarded;
  private Resilience4jQuotes resilience4j;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    context =
        new SpringApplicationBuilder(QuoteApplication.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .properties(QuoteApplication.properties())
            .run();
    plain = context.getBean(PlainQuotes.class);
    passThrough = context.getBean(PassThroughQuotes.class);
    intercepted = context.getBean(InterceptedQuotes.class);
    guarded = context.getBean(GuardedQuotes.class);
    resilience4j = context.getBean(Resilience4jQuotes.class);
    Sanity.check(!AopUtils.isAopProxy(plain), "the plain bean has no proxy");
    Sanity.check(AopUtils.isAopProxy(passThrough), "the pass-through bean is an AOP proxy");
    Sanity.check(AopUtils.isAopProxy(intercepted), "the intercepted bean is an AOP proxy");
    Sanity.check(AopUtils.isAopProxy(guarded), "the @Guarded bean is an AOP proxy");
    Sanity.check(AopUtils.isAopProxy(resilience4j), "the Resilience4j bean is an AOP proxy");
    checkGuardedApplies();
    checkResilience4jApplies();
  }

  @TearDown(Level.Trial)
  public void stop() {
    context.close();
  }

  /** The floor: a plain bean method, called through its Spring-managed instance. */
  @Benchmark
  public String plainBean() {
    return plain.quote(symbol);
  }

  /** Spring AOP alone: the same method behind an {@code @Around} advice that only proceeds. */
  @Benchmark
  public String passThroughAspectBean() {
    return passThrough.quote(symbol);
  }

  /**
   * Spring AOP woven as {@code @Guarded} is: the same method behind a {@code MethodInterceptor}
   * advisor that only proceeds. What {@link #guardedBean} costs on top of it is the starter's.
   */
  @Benchmark
  public String passThroughInterceptorBean() {
    return intercepted.quote(symbol);
  }

  /** Ours: the same method with {@code @Guarded(endpoint = "bench")}, through our aspect. */
  @Benchmark
  public String guardedBean() {
    return guarded.quote(symbol);
  }

  /**
   * Resilience4j: the same method with {@code @CircuitBreaker(name = "bench")} and
   * {@code @RateLimiter(name = "bench")}, through its two aspects (resilience4j-spring-boot4).
   */
  @Benchmark
  public String resilience4jBean() {
    return resilience4j.quote(symbol);
  }

  /** Our bucket has the benchmark's settings, and a forced-open breaker turns a call away. */
  private void checkGuardedApplies() {
    ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
    Sanity.check(
        registry.guards().containsKey(QuoteApplication.NAME), "@Guarded declared its endpoint");
    Sanity.check(
        registry.rateLimiter(QuoteApplication.NAME).config().burst() == Admitting.PER_SECOND,
        "our bucket has the benchmark's burst");
    CircuitBreaker breaker = registry.circuitBreaker(QuoteApplication.NAME);
    breaker.forceOpen();
    Sanity.check(
        Sanity.rejects(() -> guarded.quote(symbol), CircuitOpenException.class),
        "our open breaker rejects a @Guarded call");
    breaker.reset();
    Sanity.check(guarded.quote(symbol).equals(symbol), "the @Guarded call passes again");
  }

  /**
   * Resilience4j's limiter rejects once drained, its breaker records a call and, forced open,
   * rejects one; both are left as the benchmark needs them: full and closed.
   */
  private void checkResilience4jApplies() throws InterruptedException {
    RateLimiter limiter =
        context.getBean(RateLimiterRegistry.class).rateLimiter(QuoteApplication.NAME);
    Sanity.check(
        limiter.getRateLimiterConfig().getLimitForPeriod() == Admitting.PER_SECOND,
        "Resilience4j's limiter has the benchmark's limit");
    boolean limited = false;
    // A refresh between the drain and the call refills the limiter: try again in the next cycle.
    for (int attempt = 0; attempt < 3 && !limited; attempt++) {
      limiter.drainPermissions();
      limited = Sanity.rejects(() -> resilience4j.quote(symbol), RequestNotPermitted.class);
    }
    Sanity.check(limited, "Resilience4j's drained limiter rejects a @RateLimiter call");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (limiter.getMetrics().getAvailablePermissions() <= 0) {
      Sanity.check(
          System.nanoTime() < deadline, "Resilience4j's limiter refills within its 1 s cycle");
      Thread.sleep(10);
    }

    io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
        context.getBean(CircuitBreakerRegistry.class).circuitBreaker(QuoteApplication.NAME);
    breaker.reset();
    resilience4j.quote(symbol);
    Sanity.check(
        breaker.getMetrics().getNumberOfSuccessfulCalls() == 1,
        "Resilience4j's breaker records a @CircuitBreaker call");
    breaker.transitionToForcedOpenState();
    Sanity.check(
        Sanity.rejects(() -> resilience4j.quote(symbol), CallNotPermittedException.class),
        "Resilience4j's open breaker rejects a call");
    breaker.reset();
    Sanity.check(resilience4j.quote(symbol).equals(symbol), "the Resilience4j call passes again");
  }
}
