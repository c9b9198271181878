package dev.resilience.spring.aspect;

import dev.resilience.core.DownstreamPacing;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Retry;
import dev.resilience.core.RetryConfig;
import dev.resilience.core.RetryListener;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.classify.BreakerClassifiers;
import dev.resilience.spring.classify.HttpDownstreamPacing;
import dev.resilience.spring.classify.HttpFailureClassifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.io.ResourceLoader;

/**
 * Applies {@code @Guarded}: finds and checks the annotated methods of every bean at start-up and
 * guards their calls through a Spring AOP advisor. Registers an auto-proxy creator when the context
 * has none ({@code spring.aop.auto=false}), as {@code @EnableTransactionManagement} does. The
 * resolver, the advisor and the failure classifier back off when the application defines its own.
 */
@AutoConfiguration(after = {AopAutoConfiguration.class, ResilienceAutoConfiguration.class})
@EnableConfigurationProperties(ResilienceProperties.class)
@Import(GuardedProxyRegistrar.class)
public final class ResilienceAspectAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FailureClassifier resilienceFailureClassifier() {
    return new HttpFailureClassifier();
  }

  /**
   * Reads a downstream's {@code Retry-After} from Spring's HTTP client exceptions, as the
   * classifier reads their statuses; the registry uses it while {@code
   * resilience.rate-limiter.honor-retry-after} is on.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(name = "org.springframework.http.HttpHeaders")
  DownstreamPacing resilienceDownstreamPacing() {
    return new HttpDownstreamPacing();
  }

  @Bean
  @ConditionalOnMissingBean
  GuardedMethodResolver guardedMethodResolver(
      ResilienceRegistry registry,
      ResilienceProperties properties,
      FailureClassifier classifier,
      ResourceLoader resources,
      ObjectProvider<DownstreamPacing> pacing,
      ObjectProvider<RetryListener> retryListeners) {
    ClassLoader loader = resources.getClassLoader();
    return new GuardedMethodResolver(
        registry,
        new BreakerClassifiers(
            properties.getBreaker(),
            classifier,
            loader == null ? getClass().getClassLoader() : loader),
        properties.getTimeout(),
        retries(properties.getRetry(), pacing, retryListeners));
  }

  /**
   * The retries of each endpoint, one {@link Retry} per endpoint that retries at all; a
   * downstream's Retry-After is read as the pacing reads it.
   */
  private static Function<String, @Nullable Retry> retries(
      ResilienceProperties.Retry properties,
      ObjectProvider<DownstreamPacing> pacing,
      ObjectProvider<RetryListener> listeners) {
    DownstreamPacing retryAfter = pacing.getIfAvailable(DownstreamPacing::none);
    RetryListener listener = new RetryListeners(listeners);
    Map<String, Retry> made = new ConcurrentHashMap<>();
    return endpoint -> {
      RetryConfig config = properties.configOf(endpoint);
      if (config.maxAttempts() <= 1) {
        return null;
      }
      return made.computeIfAbsent(
          endpoint, name -> Retry.of(config, retryAfter::pauseNanos, listener));
    };
  }

  /**
   * Tells every {@link RetryListener} bean (the metrics'), looked up at each event: the resolver is
   * made while beans are still being post-processed, too early to create the meter registry.
   */
  private record RetryListeners(ObjectProvider<RetryListener> all) implements RetryListener {

    @Override
    public void onRetried(Guard guard, int attempt, long waitNanos) {
      all.orderedStream().forEach(listener -> listener.onRetried(guard, attempt, waitNanos));
    }

    @Override
    public void onExhausted(Guard guard, int attempts) {
      all.orderedStream().forEach(listener -> listener.onExhausted(guard, attempts));
    }

    @Override
    public void onStoppedByBreaker(Guard guard, int attempt) {
      all.orderedStream().forEach(listener -> listener.onStoppedByBreaker(guard, attempt));
    }

    @Override
    public void onStoppedByRetryAfter(Guard guard, int attempt, long retryAfterNanos) {
      all.orderedStream()
          .forEach(listener -> listener.onStoppedByRetryAfter(guard, attempt, retryAfterNanos));
    }
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static GuardedBeanPostProcessor guardedBeanPostProcessor(
      ObjectProvider<GuardedMethodResolver> methods) {
    return new GuardedBeanPostProcessor(methods);
  }

  // static, with lazy arguments: auto-proxy creators instantiate advisors before most beans exist
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnMissingBean
  static GuardedMethodAdvisor guardedMethodAdvisor(
      ObjectProvider<GuardedMethodResolver> methods,
      ObjectProvider<ResilienceProperties> properties) {
    return new GuardedMethodAdvisor(
        () -> new GuardedInterceptor(methods.getObject(), properties.getObject().isEnabled()));
  }
}
