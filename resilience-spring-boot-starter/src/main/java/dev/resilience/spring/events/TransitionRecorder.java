package dev.resilience.spring.events;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitState;
import dev.resilience.core.TransitionListener;
import dev.resilience.spring.events.ResilienceEvent.Kind;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Hears every transition of every breaker of the registry: records it in the {@link
 * ResilienceEvents} log, then publishes it as a {@link BreakerTransitionEvent}. The log comes
 * first, so that a failing application listener cannot keep a transition out of it.
 */
final class TransitionRecorder implements TransitionListener {

  private final ResilienceEvents events;
  private final ApplicationEventPublisher publisher;

  TransitionRecorder(ResilienceEvents events, ApplicationEventPublisher publisher) {
    this.events = events;
    this.publisher = publisher;
  }

  @Override
  public void onTransition(CircuitBreaker breaker, CircuitState from, CircuitState to) {
    ResilienceEvent event =
        events.record(Kind.TRANSITION, breaker.name(), from.name(), to.name(), null);
    publisher.publishEvent(new BreakerTransitionEvent(breaker, from, to, event.time()));
  }
}
