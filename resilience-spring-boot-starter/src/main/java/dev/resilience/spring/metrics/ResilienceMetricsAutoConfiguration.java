package dev.resilience.spring.metrics;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.redis.RedisRateLimitBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Publishes the breakers and buckets of the {@link ResilienceRegistry} as {@code resilience.*}
 * Micrometer meters, when Micrometer is on the class path and a {@link MeterRegistry} exists.
 *
 * <p>{@link ResilienceMetrics} is a {@code MeterBinder}: Spring Boot binds it to the meter registry
 * once every singleton exists, by which time the {@code @Guarded} beans have been scanned; guards
 * bound later (lazy beans) get their meters as they are bound.
 */
@AutoConfiguration(
    after = {
      ResilienceAutoConfiguration.class,
      MetricsAutoConfiguration.class,
      CompositeMeterRegistryAutoConfiguration.class
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, ResilienceRegistry.class})
public final class ResilienceMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ResilienceMetrics resilienceMetrics(ResilienceRegistry registry) {
    return new ResilienceMetrics(registry);
  }

  @Bean
  @ConditionalOnMissingBean
  RetryMeters resilienceRetryMeters(MeterRegistry meterRegistry) {
    return new RetryMeters(meterRegistry);
  }

  @Bean
  @ConditionalOnMissingBean
  OperatorActionMeters resilienceOperatorActionMeters(MeterRegistry meterRegistry) {
    return new OperatorActionMeters(meterRegistry);
  }

  /**
   * The gauges of the inbound rules' adaptive limits, named after their rules as an endpoint's
   * after its endpoint; bound only when the inbound filter exists. A rule and an endpoint of one
   * name that both have an adaptive limit would share these gauges, and Micrometer would keep
   * whichever came first: that stops start-up (bound once every singleton exists, so every
   * {@code @Guarded} endpoint scanned at start-up is known).
   */
  @Bean
  MeterBinder resilienceInboundAdaptiveMeters(
      ResilienceRegistry registry, ObjectProvider<InboundRuleLimits> rules) {
    return meterRegistry ->
        rules.ifAvailable(
            known -> {
              for (String rule : known.ruleNames()) {
                AdaptiveLimit adaptive = known.adaptiveLimit(rule);
                if (adaptive == null) {
                  continue;
                }
                Guard endpoint = registry.guards().get(rule);
                if (endpoint != null && endpoint.adaptiveLimit() != null) {
                  throw new InvalidResiliencePropertiesException(
                      List.of(
                          new InvalidResiliencePropertiesException.Problem(
                              "resilience.inbound.rules." + rule + ".adaptive.enabled",
                              "true",
                              null,
                              "endpoint '"
                                  + rule
                                  + "' has an adaptive limit too, and both would report as"
                                  + " resilience_adaptive_limit{name=\""
                                  + rule
                                  + "\"}",
                              "rename the rule (or the endpoint): their adaptive limits need"
                                  + " names of their own")));
                }
                AdaptiveLimitMeters.bind(adaptive, meterRegistry);
              }
            });
  }

  /** The Redis backend's meters, when the buckets live in Redis. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
  @ConditionalOnBean(type = "dev.resilience.spring.redis.RedisRateLimitBackend")
  static class RedisBackendMetrics {

    @Bean
    @ConditionalOnMissingBean
    RedisBackendMeters resilienceRedisBackendMeters(RedisRateLimitBackend backend) {
      return new RedisBackendMeters(backend);
    }
  }
}
