package dev.resilience.spring.events;

import dev.resilience.core.TransitionListener;
import dev.resilience.spring.autoconfigure.OperatorActionListener;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * The {@link ResilienceEvents} log, the listener that records every breaker transition in it and
 * publishes each as a {@link BreakerTransitionEvent}, and the one that records operators' actions.
 * The registry of {@code ResilienceAutoConfiguration} hands every {@link TransitionListener} bean
 * to each breaker it creates; an application that defines its own registry adds {@code
 * resilienceTransitionRecorder} to it to keep the log and the events.
 */
@AutoConfiguration
public final class ResilienceEventsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ResilienceEvents resilienceEvents() {
    return new ResilienceEvents();
  }

  @Bean
  @ConditionalOnMissingBean(name = "resilienceTransitionRecorder")
  TransitionListener resilienceTransitionRecorder(
      ResilienceEvents events, ApplicationEventPublisher publisher) {
    return new TransitionRecorder(events, publisher);
  }

  @Bean
  @ConditionalOnMissingBean(name = "resilienceOperatorActionRecorder")
  OperatorActionListener resilienceOperatorActionRecorder(ResilienceEvents events) {
    return new OperatorActionRecorder(events);
  }
}
