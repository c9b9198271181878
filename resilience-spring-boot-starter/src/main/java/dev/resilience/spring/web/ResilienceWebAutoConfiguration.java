package dev.resilience.spring.web;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Answers rejected calls in Spring MVC applications with 429/503, {@code Retry-After}, problem+json
 * and the IETF rate-limit headers. Off with {@code resilience.web.problem-details=false}.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnProperty(
    name = "resilience.web.problem-details",
    havingValue = "true",
    matchIfMissing = true)
public final class ResilienceWebAutoConfiguration {

  @Bean
  @ConditionalOnBean(ResilienceRegistry.class)
  @ConditionalOnMissingBean
  ResilienceExceptionHandler resilienceExceptionHandler(ResilienceRegistry registry) {
    return new ResilienceExceptionHandler(registry);
  }
}
