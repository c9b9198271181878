package dev.resilience.benchmarks.spring;

import java.util.Map;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The smallest application that carries both aspects: auto-configuration (ours and Resilience4j's,
 * each from its starter) and four beans with the same one-line method, no component scan.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class QuoteApplication {

  /** The endpoint, breaker, and Resilience4j instance name every annotated bean uses. */
  public static final String NAME = "bench";

  /**
   * Settings under which nothing ever rejects: both rate limiters at 1e9 permits per second, never
   * waiting; both breakers at their defaults (no call fails, so they stay closed). Logging is quiet
   * so that the benchmark's output stays readable.
   */
  public static Map<String, Object> properties() {
    return Map.ofEntries(
        Map.entry("logging.level.root", "WARN"),
        Map.entry(
            "resilience.rate-limiter.endpoint-overrides." + NAME + ".capacity-per-second",
            "1000000000"),
        Map.entry("resilience.rate-limiter.endpoint-overrides." + NAME + ".burst", "1000000000"),
        Map.entry("resilience.rate-limiter.endpoint-overrides." + NAME + ".max-wait", "0"),
        Map.entry(
            "resilience4j.circuitbreaker.instances." + NAME + ".sliding-window-type",
            "COUNT_BASED"),
        Map.entry("resilience4j.circuitbreaker.instances." + NAME + ".sliding-window-size", "100"),
        Map.entry("resilience4j.ratelimiter.instances." + NAME + ".limit-for-period", "1000000000"),
        Map.entry("resilience4j.ratelimiter.instances." + NAME + ".limit-refresh-period", "1s"),
        Map.entry("resilience4j.ratelimiter.instances." + NAME + ".timeout-duration", "0"));
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
  GuardedQuotes guardedQuotes() {
    return new GuardedQuotes();
  }

  @Bean
  Resilience4jQuotes resilience4jQuotes() {
    return new Resilience4jQuotes();
  }
}
