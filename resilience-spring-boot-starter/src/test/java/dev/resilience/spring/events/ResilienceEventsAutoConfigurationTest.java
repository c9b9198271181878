package dev.resilience.spring.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitState;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.events.ResilienceEvent.Kind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Every breaker transition lands in the events log and reaches the application's listeners. */
class ResilienceEventsAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ResilienceAutoConfiguration.class, ResilienceEventsAutoConfiguration.class));

  /** An application's own listener, as the README shows it. */
  static class TransitionAlerts {

    final List<BreakerTransitionEvent> heard = new CopyOnWriteArrayList<>();

    @EventListener
    void onTransition(BreakerTransitionEvent event) {
      heard.add(event);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class AlertsConfiguration {

    @Bean
    TransitionAlerts transitionAlerts() {
      return new TransitionAlerts();
    }
  }

  @Test
  void whenABreakerIsForcedOpenThenAnEventListenerHearsTheTransitionWithItsNameStatesAndTime() {
    runner
        .withUserConfiguration(AlertsConfiguration.class)
        .run(
            context -> {
              CircuitBreaker exchange =
                  context.getBean(ResilienceRegistry.class).circuitBreaker("exchange");

              exchange.forceOpen();
              exchange.forceClose();

              List<BreakerTransitionEvent> heard = context.getBean(TransitionAlerts.class).heard;
              assertThat(heard).hasSize(2);
              BreakerTransitionEvent opened = heard.get(0);
              assertThat(opened.breakerName()).isEqualTo("exchange");
              assertThat(opened.breaker()).isSameAs(exchange);
              assertThat(opened.from()).isEqualTo(CircuitState.CLOSED);
              assertThat(opened.to()).isEqualTo(CircuitState.OPEN);
              assertThat(heard.get(1).from()).isEqualTo(CircuitState.OPEN);
              assertThat(heard.get(1).to()).isEqualTo(CircuitState.CLOSED);

              List<ResilienceEvent> logged = context.getBean(ResilienceEvents.class).recent();
              assertThat(logged)
                  .extracting(
                      ResilienceEvent::kind,
                      ResilienceEvent::name,
                      ResilienceEvent::from,
                      ResilienceEvent::to)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple(
                          Kind.TRANSITION, "exchange", "OPEN", "CLOSED"),
                      org.assertj.core.groups.Tuple.tuple(
                          Kind.TRANSITION, "exchange", "CLOSED", "OPEN"));
              assertThat(opened.time()).isEqualTo(logged.get(1).time());
            });
  }

  @Test
  void whenTheApplicationDefinesItsOwnLogThenTransitionsAreRecordedInIt() {
    ResilienceEvents own = new ResilienceEvents();
    runner
        .withBean(ResilienceEvents.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(ResilienceEvents.class)).isSameAs(own);
              context.getBean(ResilienceRegistry.class).circuitBreaker("exchange").forceOpen();
              assertThat(own.recent()).hasSize(1);
            });
  }

  @Test
  void whenAListenerThrowsThenTheCallerIsUnharmedAndTheTransitionIsStillLogged() {
    runner
        .withBean(
            "failingListener",
            Object.class,
            () ->
                new Object() {
                  @EventListener
                  void onTransition(BreakerTransitionEvent event) {
                    throw new IllegalStateException("the application's listener failed");
                  }
                })
        .run(
            context -> {
              CircuitBreaker exchange =
                  context.getBean(ResilienceRegistry.class).circuitBreaker("exchange");

              exchange.forceOpen(); // no exception reaches here

              assertThat(exchange.state()).isEqualTo(CircuitState.OPEN);
              assertThat(context.getBean(ResilienceEvents.class).recent()).hasSize(1);
            });
  }
}
