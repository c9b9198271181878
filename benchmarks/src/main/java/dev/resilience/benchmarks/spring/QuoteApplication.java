package dev.resilience.benchmarks.spring;

import java.util.HashMap;
import java.util.Map;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The smallest application that carries both aspects: auto-configuration (ours and Resilience4j's,
 * each from its starter) five beans with the same one-line method, two reactive ones, no component
 * scan.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class QuoteApplication {

  /** The endpoint, breaker, and Resilience4j instance name every annotated bean uses. */
  public static final String NAME = "bench";

  /** The same for the reactive bean ({@link ReactiveQuotes}), a breaker and bucket of its own. */
  public static final String REACTIVE_NAME = "bench-reactive";

  /**
   * Settings under which nothing ever rejects, for {@link #NAME} and {@link #REACTIVE_NAME}: both
   * rate limiters at 1e9 permits per second, never waiting; both breakers at their defaults (no
   * call fails, so they stay closed). Logging is quiet so that the benchmark's output stays
   * readable.
   */
  public static Map<String, Object> properties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("logging.level.root", "WARN");
    for (String name : new String[] {NAME, REACTIVE_NAME}) {
      properties.putAll(admitting(name));
    }
    return properties;
  }

  /** The settings for one name: ours and Resilience4j's, both admitting everything. */
  private static Map<String, Object> admitting(String name) {
    return Map.ofEntries(
        Map.entry(
            "resilience.rate-limiter.endpoint-overrides." + name + ".capacity-per-second",
            "1000000000"),
        Map.entry("resilience.rate-limiter.endpoint-overrides." + name + ".burst", "1000000000"),
        Map.entry("resilience.rate-limiter.endpoint-overrides." + name + ".max-wait", "0"),
        Map.entry(
            "resilience4j.circuitbreaker.instances." + name + ".sliding-window-type",
            "COUNT_BASED"),
        Map.entry("resilience4j.circuitbreaker.instances." + name + ".sliding-window-size", "100"),
        Map.entry("resilience4j.ratelimiter.instances." + name + ".limit-for-period", "1000000000"),
        Map.entry("resilience4j.ratelimiter.instances." + name + ".limit-refresh-period", "1s"),
        Map.entry("resilience4j.ratelimiter.instances." + name + ".timeout-duration", "0"));
  }

  @Bean
  PlainQuotes plainQuotes() {
    return new PlainQuotes();
  }

  @Bean
  PassThroughQuotes passThroughQuotes() {
    return new PassThroughQuotes();
  }

  @Bean
  PassThroughAspect passThroughAspect() {
    return new PassThroughAspect();
  }

  @Bean
  InterceptedQuotes interceptedQuotes() {
    return new InterceptedQuotes();
  }

  /** A {@code MethodInterceptor} that only proceeds, on {@link Intercepted} methods. */
  @Bean
  static Advisor passThroughInterceptor() {
    MethodInterceptor proceed = MethodInvocation::proceed;
    return new DefaultPointcutAdvisor(
        AnnotationMatchingPointcut.forMethodAnnotation(Intercepted.class), proceed);
  }

  @Bean
  GuardedQuotes guardedQuotes() {
    return new GuardedQuotes();
  }

  @Bean
  ReactiveQuotes reactiveQuotes() {
    return new ReactiveQuotes();
  }

  @Bean
  Resilience4jQuotes resilience4jQuotes() {
    return new Resilience4jQuotes();
  }
}
