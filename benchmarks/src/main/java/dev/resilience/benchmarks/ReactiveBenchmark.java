package dev.resilience.benchmarks;

import dev.resilience.benchmarks.spring.InterceptedQuotes;
import dev.resilience.benchmarks.spring.QuoteApplication;
import dev.resilience.benchmarks.spring.ReactiveQuotes;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.ResilienceRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
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
import reactor.core.publisher.Mono;

/**
 * One guarded {@code Mono} call, assembled and subscribed to per call as an application does it,
 * against Resilience4j's {@code CircuitBreakerOperator} + {@code RateLimiterOperator} on the same
 * {@code Mono}. Every variant ends in {@code block()} on an already-completed source, so the {@link
 * #plainMono} floor holds Reactor's own cost and the rest is what the guard adds (and, for the
 * beans, Spring's proxy).
 *
 * <ul>
 *   <li>{@link #guardedBean}: what a user gets, {@code @Guarded} on a method returning {@code
 *       Mono}, through the starter's proxy and its Reactor path.
 *   <li>{@link #passThroughInterceptorBean}: the floor of that path, the same {@code Mono} from a
 *       method behind a {@code MethodInterceptor} advisor that only proceeds: Spring's proxy.
 *   <li>{@link #resilience4jOperators}: the same breaker-outside, limiter-inside order, each
 *       operator applied with {@code transformDeferred} as Resilience4j's documentation shows.
 * </ul>
 *
 * <p>The breakers and buckets are shared by all threads, and never reject (see {@link Admitting}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ReactiveBenchmark {

  private ConfigurableApplicationContext context;
  private ReactiveQuotes bean;
  private InterceptedQuotes intercepted;
  private Mono<String> source;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker;
  private io.github.resilience4j.ratelimiter.RateLimiter r4jLimiter;

  @Setup(Level.Trial)
  public void start() {
    context =
        new SpringApplicationBuilder(QuoteApplication.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .properties(QuoteApplication.properties())
            .run();
    bean = context.getBean(ReactiveQuotes.class);
    source = bean.source();
    intercepted = context.getBean(InterceptedQuotes.class);
    ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
    r4jBreaker =
        context
            .getBean(CircuitBreakerRegistry.class)
            .circuitBreaker(QuoteApplication.REACTIVE_NAME);
    r4jLimiter =
        context.getBean(RateLimiterRegistry.class).rateLimiter(QuoteApplication.REACTIVE_NAME);
    Sanity.check(AopUtils.isAopProxy(bean), "the @Guarded reactive bean is an AOP proxy");
    Sanity.check(AopUtils.isAopProxy(intercepted), "the intercepted bean is an AOP proxy");
    checkOursApply(registry);
    checkResilience4jApplies();
  }

  @TearDown(Level.Trial)
  public void stop() {
    context.close();
  }

  /** The floor: the same {@code Mono}, unguarded. */
  @Benchmark
  public String plainMono() {
    return source.block();
  }

  /** Ours, as users get it: a {@code @Guarded} method returning {@code Mono}, through the proxy. */
  @Benchmark
  public String guardedBean() {
    return bean.quote().block();
  }

  /**
   * Spring AOP woven as {@code @Guarded} is, on a method returning the same {@code Mono}: an
   * advisor whose {@code MethodInterceptor} only proceeds. What {@link #guardedBean} costs on top
   * of it is the starter's Reactor path.
   */
  @Benchmark
  public String passThroughInterceptorBean() {
    return intercepted.quoteMono().block();
  }

  /** Resilience4j's reactor operators: the breaker outside, the limiter inside. */
  @Benchmark
  public String resilience4jOperators() {
    return source
        .transformDeferred(RateLimiterOperator.of(r4jLimiter))
        .transformDeferred(CircuitBreakerOperator.of(r4jBreaker))
        .block();
  }

  /** Both of ours record a success, and turn a call away (as an error signal) when forced open. */
  private void checkOursApply(ResilienceRegistry registry) {
    Sanity.check(
        registry.rateLimiter(QuoteApplication.REACTIVE_NAME).config().burst()
            == Admitting.PER_SECOND,
        "our bucket has the benchmark's burst");
    CircuitBreaker breaker = registry.circuitBreaker(QuoteApplication.REACTIVE_NAME);
    breaker.reset();
    Sanity.check("BTC-USD".equals(guardedBean()), "our guarded Mono passes");
    Sanity.check(breaker.snapshot().callsInWindow() == 1, "our breaker records the Mono's call");
    breaker.forceOpen();
    Sanity.check(
        Sanity.rejects(this::guardedBean, CircuitOpenException.class),
        "our open breaker rejects the Mono's call");
    breaker.reset();
    Sanity.check(
        "BTC-USD".equals(passThroughInterceptorBean()), "the intercepted Mono passes unguarded");
  }

  /** Resilience4j's breaker records the call and, forced open, rejects one. */
  private void checkResilience4jApplies() {
    Sanity.check(
        r4jLimiter.getRateLimiterConfig().getLimitForPeriod() == Admitting.PER_SECOND,
        "Resilience4j's limiter has the benchmark's limit");
    r4jBreaker.reset();
    resilience4jOperators();
    Sanity.check(
        r4jBreaker.getMetrics().getNumberOfSuccessfulCalls() == 1,
        "Resilience4j's breaker records the Mono's call");
    r4jBreaker.transitionToForcedOpenState();
    Sanity.check(
        Sanity.rejects(this::resilience4jOperators, CallNotPermittedException.class),
        "Resilience4j's open breaker rejects the Mono's call");
    r4jBreaker.reset();
  }
}
