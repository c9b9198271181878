package dev.resilience.spring.web;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Answers rejected calls in Spring MVC and WebFlux applications with 429/503, {@code Retry-After},
 * problem+json and the IETF rate-limit headers. Off with {@code
 * resilience.web.problem-details=false}.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnProperty(
    name = "resilience.web.problem-details",
    havingValue = "true",
    matchIfMissing = true)
public final class ResilienceWebAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(DispatcherServlet.class)
  static final class Servlet {

    @Bean
    @ConditionalOnBean(ResilienceRegistry.class)
    @ConditionalOnMissingBean
    ResilienceExceptionHandler resilienceExceptionHandler(ResilienceRegistry registry) {
      return new ResilienceExceptionHandler(registry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(DispatcherHandler.class)
  static final class Reactive {

    @Bean
    @ConditionalOnBean(ResilienceRegistry.class)
    @ConditionalOnMissingBean
    ResilienceWebExceptionHandler resilienceWebExceptionHandler(
        ResilienceRegistry registry, ObjectProvider<ServerCodecConfigurer> codecs) {
      return new ResilienceWebExceptionHandler(
          registry, codecs.getIfAvailable(ServerCodecConfigurer::create));
    }
  }
}
