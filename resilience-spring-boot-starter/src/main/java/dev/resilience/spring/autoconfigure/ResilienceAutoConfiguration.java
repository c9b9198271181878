package dev.resilience.spring.autoconfigure;

import dev.resilience.core.BulkheadConfig;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.DownstreamPacing;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Ticker;
import dev.resilience.core.TransitionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * The registry of breakers and buckets, built from {@code resilience.*} properties. Every bean here
 * backs off when the application defines its own. {@code @Guarded} itself is applied by the
 * aspect's own auto-configuration, {@code ResilienceAspectAutoConfiguration}.
 *
 * <p>Every {@link TransitionListener} bean hears every transition of every breaker the registry
 * creates (the events log's recorder is one); such a bean must not depend on the registry.
 */
@AutoConfiguration
@EnableConfigurationProperties(ResilienceProperties.class)
public final class ResilienceAutoConfiguration {

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static StrictResiliencePropertiesPostProcessor strictResiliencePropertiesPostProcessor() {
    return new StrictResiliencePropertiesPostProcessor();
  }

  @Bean
  @ConditionalOnMissingBean
  Ticker resilienceTicker() {
    return Ticker.system();
  }

  @Bean
  @ConditionalOnMissingBean
  ResilienceRegistry resilienceRegistry(
      ResilienceProperties properties,
      Ticker ticker,
      ObjectProvider<ResilienceRegistry.RateLimiterFactory> limiterFactory,
      ObjectProvider<DownstreamPacing> pacing,
      ObjectProvider<TransitionListener> transitionListeners) {
    CircuitBreakerConfig breakerDefaults =
        ResilienceConfigs.breakerDefaults(properties.getBreaker());
    RateLimiterConfig limiterDefaults =
        ResilienceConfigs.limiterDefaults(properties.getRateLimiter());
    ResilienceRegistry.Builder builder =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .circuitBreakerDefaults(breakerDefaults)
            .rateLimiterDefaults(limiterDefaults);
    ResilienceConfigs.maxKeys(builder, properties.getRateLimiter());
    if (properties.getRateLimiter().isHonorRetryAfter()) {
      // the HTTP reading of Retry-After is defined with the classifier, which reads HTTP statuses
      pacing.ifAvailable(builder::downstreamPacing);
    }
    limiterFactory.ifAvailable(builder::rateLimiterFactory);
    transitionListeners.orderedStream().forEach(builder::transitionListener);
    ResilienceConfigs.breakerOverrides(properties.getBreaker(), breakerDefaults)
        .forEach(builder::circuitBreakerOverride);
    ResilienceConfigs.limiterOverrides(properties.getRateLimiter(), limiterDefaults)
        .forEach(builder::rateLimiterOverride);
    BulkheadConfig bulkheadDefaults = ResilienceConfigs.bulkheadDefaults(properties.getBulkhead());
    builder.bulkheadDefaults(bulkheadDefaults);
    ResilienceConfigs.bulkheadOverrides(properties.getBulkhead(), bulkheadDefaults)
        .forEach(builder::bulkheadOverride);
    builder.adaptiveLimitDefaults(ResilienceConfigs.adaptiveDefaults(properties.getAdaptive()));
    ResilienceConfigs.adaptiveOverrides(properties.getAdaptive())
        .forEach(builder::adaptiveLimitOverride);
    ResilienceRegistry registry = builder.build();
    ForcedBreakers.apply(properties.getBreaker(), registry);
    return registry;
  }

  @Bean
  UnusedOverridesReporter resilienceUnusedOverridesReporter(
      ResilienceProperties properties, ResilienceRegistry registry) {
    return new UnusedOverridesReporter(properties, registry);
  }
}
