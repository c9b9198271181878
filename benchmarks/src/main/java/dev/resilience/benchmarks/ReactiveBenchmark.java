package dev.resilience.benchmarks;

import dev.resilience.benchmarks.spring.QuoteApplication;
import dev.resilience.benchmarks.spring.ReactiveQuotes;
import dev.resilience.core.CallRejectedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.Reservation;
import dev.resilience.core.ResilienceRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * #plainMono} floor holds Reactor's own cost and the rest is what the guard adds.
 *
 * <ul>
 *   <li>{@link #guardedBean}: what a user gets, {@code @Guarded} on a method returning {@code
 *       Mono}, through the starter's proxy and its Reactor path.
 *   <li>{@link #guardedByHand}: the core API that path uses, without Spring: {@code reserve},
 *       {@code admit} on subscription, the outcome reported once on the terminal signal.
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
  private Mono<String> source;
  private Guard guard;
  private FailureClassifier classifier;
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
    ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
    // the by-hand variant has a registry of its own, without Spring, as GuardedCallBenchmark's
    guard =
        ResilienceRegistry.builder()
            .rateLimiterDefaults(Admitting.ourConfig())
            .build()
            .guard("by-hand", "by-hand", false);
    classifier = FailureClassifier.jdk();
    r4jBreaker =
        context
            .getBean(CircuitBreakerRegistry.class)
            .circuitBreaker(QuoteApplication.REACTIVE_NAME);
    r4jLimiter =
        context.getBean(RateLimiterRegistry.class).rateLimiter(QuoteApplication.REACTIVE_NAME);
    Sanity.check(AopUtils.isAopProxy(bean), "the @Guarded reactive bean is an AOP proxy");
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

  /** Ours, the core API by hand the way the starter's Reactor path uses it, without Spring. */
  @Benchmark
  public String guardedByHand() {
    return guardedByHand(source).block();
  }

  /** Resilience4j's reactor operators: the breaker outside, the limiter inside. */
  @Benchmark
  public String resilience4jOperators() {
    return source
        .transformDeferred(RateLimiterOperator.of(r4jLimiter))
        .transformDeferred(CircuitBreakerOperator.of(r4jBreaker))
        .block();
  }

  private Mono<String> guardedByHand(Mono<String> call) {
    return Mono.defer(
        () -> {
          Reservation reservation;
          try {
            reservation = guard.reserve(null);
          } catch (CallRejectedException rejected) {
            return Mono.error(rejected);
          }
          if (reservation.waitNanos() != 0) {
            // never under the benchmark's settings; the starter delays with Mono.delay here
            reservation.cancel();
            return Mono.error(new IllegalStateException("the bucket asked to wait"));
          }
          Outcome outcome = new Outcome(reservation.admit(), classifier);
          return call.doOnSuccess(value -> outcome.succeeded())
              .doOnError(outcome::failed)
              .doOnCancel(outcome::abandoned);
        });
  }

  /** The call's outcome, reported once whichever signal comes first (as the starter does). */
  private static final class Outcome extends AtomicBoolean {

    private static final long serialVersionUID = 1L;

    private final transient GuardedCall call;
    private final transient FailureClassifier classifier;

    Outcome(GuardedCall call, FailureClassifier classifier) {
      this.call = call;
      this.classifier = classifier;
    }

    void succeeded() {
      if (compareAndSet(false, true)) {
        call.succeeded();
      }
    }

    void failed(Throwable error) {
      if (compareAndSet(false, true)) {
        call.failed(error, classifier);
      }
    }

    void abandoned() {
      if (compareAndSet(false, true)) {
        call.abandoned();
      }
    }
  }

  /** Both of ours record a success, and turn a call away (as an error signal) when forced open. */
  private void checkOursApply(ResilienceRegistry registry) {
    Sanity.check(
        registry.rateLimiter(QuoteApplication.REACTIVE_NAME).config().burst()
            == Admitting.PER_SECOND,
        "our bucket has the benchmark's burst");
    for (String name : new String[] {QuoteApplication.REACTIVE_NAME, "by-hand"}) {
      CircuitBreaker breaker =
          name.equals("by-hand") ? guard.breaker() : registry.circuitBreaker(name);
      breaker.reset();
      Sanity.check("BTC-USD".equals(call(name)), "our guarded Mono passes: " + name);
      Sanity.check(
          breaker.snapshot().callsInWindow() == 1, "our breaker records the Mono's call: " + name);
      breaker.forceOpen();
      Sanity.check(
          rejects(() -> call(name), CircuitOpenException.class),
          "our open breaker rejects the Mono's call: " + name);
      breaker.reset();
    }
  }

  private String call(String name) {
    return name.equals("by-hand") ? guardedByHand() : guardedBean();
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
        rejects(this::resilience4jOperators, CallNotPermittedException.class),
        "Resilience4j's open breaker rejects the Mono's call");
    r4jBreaker.reset();
  }

  /** Whether {@code call} throws {@code expected}; any other exception is rethrown. */
  private static boolean rejects(Runnable call, Class<? extends RuntimeException> expected) {
    try {
      call.run();
      return false;
    } catch (RuntimeException e) {
      if (expected.isInstance(e)) {
        return true;
      }
      throw e;
    }
  }
}
