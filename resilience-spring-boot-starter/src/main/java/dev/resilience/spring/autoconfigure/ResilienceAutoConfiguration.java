package dev.resilience.spring.autoconfigure;

import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Ticker;
import dev.resilience.spring.aspect.GuardedAspect;
import dev.resilience.spring.aspect.GuardedBeanRegistrar;
import dev.resilience.spring.aspect.GuardedMethods;
import dev.resilience.spring.aspect.HttpFailureClassifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.io.ResourceLoader;

/**
 * The registry of breakers and buckets, built from {@code resilience.*} properties, and the aspect
 * that applies {@code @Guarded}. Every bean here backs off when the application defines its own.
 */
@AutoConfiguration(after = AopAutoConfiguration.class)
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
  ResilienceRegistry resilienceRegistry(ResilienceProperties properties, Ticker ticker) {
    CircuitBreakerConfig breakerDefaults = ResilienceConfigs.breakerDefaults(properties.getBreaker());
    RateLimiterConfig limiterDefaults = ResilienceConfigs.limiterDefaults(properties.getRateLimiter());
    ResilienceRegistry.Builder builder =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .circuitBreakerDefaults(breakerDefaults)
            .rateLimiterDefaults(limiterDefaults);
    ResilienceConfigs.breakerOverrides(properties.getBreaker(), breakerDefaults).forEach(builder::circuitBreakerOverride);
    ResilienceConfigs.limiterOverrides(properties.getRateLimiter(), limiterDefaults).forEach(builder::rateLimiterOverride);
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  FailureClassifier resilienceFailureClassifier() {
    return new HttpFailureClassifier();
  }

  @Bean
  @ConditionalOnMissingBean
  GuardedMethods guardedMethods(
      ResilienceRegistry registry, ResilienceProperties properties, FailureClassifier classifier, ResourceLoader resources) {
    ClassLoader loader = resources.getClassLoader();
    return new GuardedMethods(
        registry,
        new BreakerClassifiers(
            properties.getBreaker(), classifier, loader == null ? getClass().getClassLoader() : loader));
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static GuardedBeanRegistrar guardedBeanRegistrar(ObjectProvider<GuardedMethods> methods) {
    return new GuardedBeanRegistrar(methods);
  }

  @Bean
  @ConditionalOnMissingBean
  GuardedAspect guardedAspect(GuardedMethods methods, ResilienceProperties properties) {
    return new GuardedAspect(methods, properties.isEnabled());
  }

  @Bean
  UnusedOverridesReporter resilienceUnusedOverridesReporter(ResilienceProperties properties, ResilienceRegistry registry) {
    return new UnusedOverridesReporter(properties, registry);
  }
}
