package dev.resilience.spring.dashboard;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.events.ResilienceEvents;
import dev.resilience.spring.events.ResilienceEventsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live page at {@code /resilience} and its stream at {@code /resilience/stream}, in a Spring
 * MVC application that sets {@code resilience.dashboard.enabled=true}. The page shows what {@code
 * GET /actuator/resilience} shows, to whoever reaches it: an application that guards its actuator
 * guards {@code /resilience/**} the same way.
 */
@AutoConfiguration(
    after = {ResilienceAutoConfiguration.class, ResilienceEventsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SseEmitter.class)
@ConditionalOnProperty(name = "resilience.dashboard.enabled", havingValue = "true")
@ConditionalOnBean({ResilienceRegistry.class, ResilienceEvents.class})
public final class DashboardAutoConfiguration {

  @Bean
  DashboardStream resilienceDashboardStream(ResilienceRegistry registry, ResilienceEvents events) {
    return new DashboardStream(registry, events);
  }

  @Bean
  DashboardController resilienceDashboardController(DashboardStream stream) {
    return new DashboardController(stream);
  }
}
