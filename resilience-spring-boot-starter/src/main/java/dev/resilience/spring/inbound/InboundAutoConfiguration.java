package dev.resilience.spring.inbound;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundRule;
import dev.resilience.spring.autoconfigure.ResiliencePropertiesCheck;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.WebFilter;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * The inbound rate-limit filter of {@code resilience.inbound}: a servlet filter in a servlet web
 * application, a {@code WebFilter} in a reactive one, each ordered right after Spring Security's
 * filter chain. It exists only when {@code resilience.inbound.enabled} is not false and at least
 * one rule is set. Rules in an application that serves no web requests stop start-up: none of them
 * could ever apply.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(PathPatternParser.class)
@ConditionalOnProperty(
    name = "resilience.inbound.enabled",
    havingValue = "true",
    matchIfMissing = true)
@Conditional(OnInboundRulesCondition.class)
@ConditionalOnBean(ResilienceRegistry.class)
public final class InboundAutoConfiguration {

  /** Spring Security's filter chain's order when {@code spring.security.filter.order} is unset. */
  static final int SECURITY_FILTER_ORDER = -100;

  @Bean
  @ConditionalOnWebApplication
  InboundLimiter resilienceInboundLimiter(
      ResilienceProperties properties,
      ResilienceRegistry registry,
      ObjectProvider<TierResolver> tiers,
      ObjectProvider<InboundListener> listener,
      Environment environment) {
    return new InboundLimiter(
        InboundConfig.of(properties.getInbound()),
        registry,
        tiers.getIfAvailable(),
        listener.getIfAvailable(() -> InboundListener.NONE),
        unguardedPaths(environment, properties));
  }

  /**
   * The paths no adaptive limit applies to: the actuator's (health probes must reach a service that
   * sheds load) and the live page's (its stream holds a request open for as long as it is watched).
   */
  static List<String> unguardedPaths(Environment environment, ResilienceProperties properties) {
    List<String> paths = new ArrayList<>();
    String actuator =
        environment.getProperty("management.endpoints.web.base-path", "/actuator").trim();
    if (actuator.endsWith("/")) {
      actuator = actuator.substring(0, actuator.length() - 1);
    }
    if (!actuator.isEmpty()) {
      paths.add(actuator.startsWith("/") ? actuator : "/" + actuator);
    }
    if (properties.getDashboard().isEnabled()) {
      paths.add("/resilience");
    }
    return paths;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication
  @ConditionalOnClass(MeterRegistry.class)
  static final class Metrics {

    @Bean
    InboundMeters resilienceInboundMeters(ResilienceProperties properties) {
      Map<String, InboundRule> rules = properties.getInbound().getRules();
      return new InboundMeters(
          List.copyOf(rules.keySet()),
          rules.entrySet().stream()
              .filter(rule -> rule.getValue().getAdaptive().isEnabled())
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.SERVLET)
  @ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
  static final class Servlet {

    @Bean
    FilterRegistrationBean<InboundServletFilter> resilienceInboundFilter(
        InboundLimiter limiter, Environment environment) {
      FilterRegistrationBean<InboundServletFilter> registration =
          new FilterRegistrationBean<>(new InboundServletFilter(limiter));
      registration.setName(InboundServletFilter.NAME);
      // Right after Spring Security's chain, wherever the application put it.
      registration.setOrder(
          environment.getProperty(
                  "spring.security.filter.order", Integer.class, SECURITY_FILTER_ORDER)
              + 1);
      return registration;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.REACTIVE)
  @ConditionalOnClass({WebFilter.class, Mono.class})
  static final class Reactive {

    @Bean
    InboundWebFilter resilienceInboundWebFilter(InboundLimiter limiter) {
      return new InboundWebFilter(limiter);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnNotWebApplication
  static final class NotWeb {

    @Bean
    Object resilienceInboundRulesWithoutWeb(ResilienceProperties properties) {
      String rules =
          properties.getInbound().getRules().keySet().stream()
              .map(ResiliencePropertiesCheck::mapKey)
              .collect(Collectors.joining(", "));
      throw new InvalidResiliencePropertiesException(
          List.of(
              new InvalidResiliencePropertiesException.Problem(
                  "resilience.inbound.rules",
                  rules,
                  null,
                  "this application serves no web requests (it is neither a servlet nor a WebFlux"
                      + " application), so no inbound rule can ever apply",
                  "remove the rules, or set resilience.inbound.enabled=false where they are"
                      + " shared with a web application")));
    }
  }
}
