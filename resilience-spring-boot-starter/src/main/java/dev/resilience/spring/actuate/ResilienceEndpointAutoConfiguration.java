package dev.resilience.spring.actuate;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.autoconfigure.OperatorActionListener;
import dev.resilience.spring.autoconfigure.RateLimitBackend;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.events.ResilienceEvents;
import dev.resilience.spring.events.ResilienceEventsAutoConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code resilience} actuator endpoint (when the application exposes it) and the {@code
 * resilience} health contributor (unless {@code management.health.resilience.enabled=false}), both
 * reading the {@link ResilienceRegistry}. Either backs off when the application defines its own.
 */
@AutoConfiguration(
    after = {ResilienceAutoConfiguration.class, ResilienceEventsAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
public final class ResilienceEndpointAutoConfiguration {

  private static final Log log = LogFactory.getLog(ResilienceEndpointAutoConfiguration.class);

  @Bean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean(ResilienceRegistry.class)
  @ConditionalOnMissingBean
  ResilienceEndpoint resilienceEndpoint(
      ResilienceRegistry registry,
      ObjectProvider<RateLimitBackend> backend,
      ObjectProvider<ResilienceEvents> events,
      ObjectProvider<OperatorActions> actions,
      ObjectProvider<InboundRuleLimits> rules,
      ObjectProvider<EndpointAccessResolver> access) {
    EndpointAccessResolver resolver = access.getIfAvailable();
    if (resolver != null
        && resolver.accessFor(EndpointId.of("resilience"), Access.READ_ONLY) == Access.READ_ONLY) {
      // a 405 alone does not say why: say it once, where the operator looks first
      log.info(
          "The resilience endpoint's writes (forcing breakers, the kill switch, changing limits,"
              + " resetting keys) are off: they answer 405. Set"
              + " management.endpoint.resilience.access=unrestricted to allow them, and protect"
              + " them (e.g. with Spring Security).");
    }
    return new ResilienceEndpoint(
        registry,
        backend.getIfAvailable(),
        events.getIfAvailable(),
        actions.getIfAvailable(() -> OperatorActions.unheard(registry)),
        rules.getIfAvailable());
  }

  /** A misspelt field in a write is refused, not ignored: see {@link UnknownFieldsAdvisor}. */
  @Bean
  @ConditionalOnAvailableEndpoint(endpoint = ResilienceEndpoint.class)
  static UnknownFieldsAdvisor resilienceUnknownFieldsAdvisor() {
    return new UnknownFieldsAdvisor();
  }

  @Bean
  @ConditionalOnBean(ResilienceRegistry.class)
  @ConditionalOnMissingBean
  OperatorActions resilienceOperatorActions(
      ResilienceRegistry registry, ObjectProvider<OperatorActionListener> listeners) {
    return new OperatorActions(registry, listeners);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(AbstractHealthIndicator.class)
  @ConditionalOnBean(ResilienceRegistry.class)
  @EnableConfigurationProperties(ResilienceProperties.class)
  static final class HealthConfiguration {

    @Bean
    @ConditionalOnEnabledHealthIndicator("resilience")
    @ConditionalOnMissingBean(name = "resilienceHealthIndicator")
    ResilienceHealthIndicator resilienceHealthIndicator(
        ResilienceRegistry registry, ResilienceProperties properties) {
      return new ResilienceHealthIndicator(registry, properties.getHealth().isDownWhenOpen());
    }
  }
}
