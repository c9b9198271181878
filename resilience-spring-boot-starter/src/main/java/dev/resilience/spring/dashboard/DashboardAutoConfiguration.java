package dev.resilience.spring.dashboard;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException.Problem;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.events.ResilienceEvents;
import dev.resilience.spring.events.ResilienceEventsAutoConfiguration;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live page at {@code /resilience} and its stream at {@code /resilience/stream}, in a Spring
 * MVC application that sets {@code resilience.dashboard.enabled=true}; any other application that
 * sets it fails to start, since it would get no page. The page shows what {@code GET
 * /actuator/resilience} shows, to whoever reaches it: an application that guards its actuator
 * guards {@code /resilience/**} the same way.
 */
@AutoConfiguration(
    after = {ResilienceAutoConfiguration.class, ResilienceEventsAutoConfiguration.class})
@ConditionalOnProperty(name = "resilience.dashboard.enabled", havingValue = "true")
public final class DashboardAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(SseEmitter.class)
  @ConditionalOnBean({ResilienceRegistry.class, ResilienceEvents.class})
  static class Served {

    @Bean
    DashboardStream resilienceDashboardStream(
        ResilienceRegistry registry,
        ResilienceEvents events,
        ObjectProvider<InboundRuleLimits> inboundRules) {
      return new DashboardStream(
          registry,
          events,
          () -> adaptiveLimits(registry, inboundRules.getIfAvailable()),
          Clock.systemUTC());
    }

    /**
     * The adaptive concurrency limits the page shows, by the name it shows each under, in that
     * order: every place that makes one adds it here, and only here. Called at every sample (twice
     * a second while a page is open), so that limits created later (an endpoint's guard is bound at
     * its first call) appear; keep it cheap.
     */
    static Map<String, AdaptiveLimit> adaptiveLimits(
        ResilienceRegistry registry, @Nullable InboundRuleLimits inboundRules) {
      Map<String, AdaptiveLimit> limits = new LinkedHashMap<>();
      // outbound: each guarded endpoint's, under the endpoint's name, in alphabetical order
      for (Guard guard : registry.guards().values()) {
        AdaptiveLimit limit = guard.adaptiveLimit();
        if (limit != null) {
          limits.put(guard.endpoint(), limit);
        }
      }
      // inbound: each rule's, after them, in declaration order; "(inbound)" is no endpoint name
      if (inboundRules != null) {
        for (String rule : inboundRules.ruleNames()) {
          AdaptiveLimit limit = inboundRules.adaptiveLimit(rule);
          if (limit != null) {
            limits.put(rule + " (inbound)", limit);
          }
        }
      }
      return limits;
    }

    @Bean
    DashboardController resilienceDashboardController(DashboardStream stream) {
      return new DashboardController(stream);
    }
  }

  /** Asked for in a WebFlux application, the page cannot be served: start-up says so. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  static class Reactive {

    @Bean
    Object resilienceDashboardUnavailable() {
      throw unavailable("this one is a WebFlux (reactive) application");
    }
  }

  /** Asked for outside a web application, the page cannot be served: start-up says so. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnNotWebApplication
  static class NotWeb {

    @Bean
    Object resilienceDashboardUnavailable() {
      throw unavailable("this one is not a web application");
    }
  }

  private static InvalidResiliencePropertiesException unavailable(String found) {
    return new InvalidResiliencePropertiesException(
        List.of(
            new Problem(
                "resilience.dashboard.enabled",
                "true",
                null,
                "the live page needs a Spring MVC (servlet) web application, and " + found,
                "remove resilience.dashboard.enabled, or serve the application with"
                    + " spring-boot-starter-webmvc")));
  }
}
