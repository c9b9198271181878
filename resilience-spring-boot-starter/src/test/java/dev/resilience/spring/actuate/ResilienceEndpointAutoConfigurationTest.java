package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.actuate.ResilienceEndpoint.BreakerConfigDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.BreakerDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.ResilienceDescriptor;
import dev.resilience.spring.aspect.ResilienceAspectAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ResilienceEndpointAutoConfigurationTest {

  private static final String EXPOSED = "management.endpoints.web.exposure.include=resilience";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  EndpointAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class,
                  ResilienceEndpointAutoConfiguration.class))
          .withBean(TradingClient.class);

  @Test
  void whenExposedThenListsEveryDeclaredBreakerAndEndpointBeforeAnyTraffic() {
    runner
        .withPropertyValues(EXPOSED)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ResilienceEndpoint.class);

              ResilienceDescriptor all = context.getBean(ResilienceEndpoint.class).all();

              assertThat(all.breakers()).containsOnlyKeys("exchange");
              BreakerDescriptor exchange = all.breakers().get("exchange");
              assertThat(exchange.state()).isEqualTo(CircuitState.CLOSED);
              assertThat(exchange.callsInWindow()).isZero();
              assertThat(exchange.endpoints())
                  .containsExactly("cancel_order", "health", "place_order");
              assertThat(all.rateLimiters())
                  .containsOnlyKeys("cancel_order", "health", "place_order");
              assertThat(all.rateLimiters().get("health").breaker()).isEqualTo("exchange");
              assertThat(all.rateLimiters().get("health").allowlist()).isTrue();
              assertThat(all.rateLimiters().get("place_order").allowlist()).isFalse();
              assertThat(all.rateLimiters().get("place_order").availableTokens()).isEqualTo(16.0);
            });
  }

  private static final String WRITES_OFF =
      "The resilience endpoint's writes (forcing breakers, the kill switch, changing limits,"
          + " resetting keys) are off: they answer 405. Set"
          + " management.endpoint.resilience.access=unrestricted to allow them";

  @Test
  void whenWritesAreNotOptedInThenStartUpSaysOnceHowToAllowThem(CapturedOutput output) {
    runner
        .withPropertyValues(EXPOSED)
        .run(context -> assertThat(output).containsOnlyOnce(WRITES_OFF));
  }

  @Test
  void whenWritesAreOptedInThenStartUpSaysNothingAboutThem(CapturedOutput output) {
    runner
        // upper case: a context runner has no SpringApplication, whose conversion ignores case
        .withPropertyValues(EXPOSED, "management.endpoint.resilience.access=UNRESTRICTED")
        .run(
            context -> {
              assertThat(context).hasSingleBean(ResilienceEndpoint.class);
              assertThat(output).doesNotContain(WRITES_OFF);
            });
  }

  @Test
  void whenPropertiesOverrideABreakerThenTheEndpointShowsTheOverriddenConfig() {
    runner
        .withPropertyValues(
            EXPOSED,
            "resilience.breaker.endpoint-overrides.exchange.fail-threshold=3",
            "resilience.breaker.endpoint-overrides.exchange.cooldown=5s")
        .run(
            context -> {
              BreakerConfigDescriptor config =
                  context
                      .getBean(ResilienceEndpoint.class)
                      .all()
                      .breakers()
                      .get("exchange")
                      .config();
              assertThat(config.failThreshold()).isEqualTo(3);
              assertThat(config.cooldownMs()).isEqualTo(5_000L);
            });
  }

  @Test
  void whenNotExposedThenThereIsNoEndpointButTheHealthIndicatorRemains() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(ResilienceEndpoint.class);
          assertThat(context).hasSingleBean(ResilienceHealthIndicator.class);
        });
  }

  @Test
  void whenActuatorIsAbsentThenNeitherEndpointNorHealthIndicatorAndTheRestStarts() {
    runner
        .withPropertyValues(EXPOSED)
        .withClassLoader(new FilteredClassLoader(Endpoint.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(ResilienceEndpoint.class);
              assertThat(context).doesNotHaveBean(ResilienceHealthIndicator.class);
              assertThat(context.getBean(ResilienceRegistry.class).guards())
                  .containsOnlyKeys("cancel_order", "health", "place_order");
            });
  }

  @Test
  void whenTheHealthModuleIsAbsentThenTheEndpointComesWithoutTheHealthIndicator() {
    runner
        .withPropertyValues(EXPOSED)
        .withClassLoader(new FilteredClassLoader(AbstractHealthIndicator.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(ResilienceEndpoint.class);
              assertThat(context).doesNotHaveBean(ResilienceHealthIndicator.class);
            });
  }

  @Test
  void whenThereIsNoRegistryThenNeitherEndpointNorHealthIndicator() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                EndpointAutoConfiguration.class, ResilienceEndpointAutoConfiguration.class))
        .withPropertyValues(EXPOSED)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(ResilienceEndpoint.class);
              assertThat(context).doesNotHaveBean(ResilienceHealthIndicator.class);
            });
  }

  @Test
  void whenTheUserDefinesTheirOwnEndpointThenItIsTheOneUsed() {
    ResilienceRegistry own = ResilienceRegistry.builder().build();
    ResilienceEndpoint ownEndpoint = new ResilienceEndpoint(own);
    runner
        .withPropertyValues(EXPOSED)
        .withBean("ownResilienceEndpoint", ResilienceEndpoint.class, () -> ownEndpoint)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ResilienceEndpoint.class);
              assertThat(context.getBean(ResilienceEndpoint.class)).isSameAs(ownEndpoint);
            });
  }

  @Test
  void whenTheUserDefinesABeanNamedResilienceHealthIndicatorThenItIsTheOneUsed() {
    HealthIndicator own = () -> Health.up().withDetail("own", true).build();
    runner
        .withBean("resilienceHealthIndicator", HealthIndicator.class, () -> own)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ResilienceHealthIndicator.class);
              assertThat(context.getBean("resilienceHealthIndicator")).isSameAs(own);
            });
  }

  @Test
  void whenTheHealthIndicatorIsDisabledThenItIsAbsent() {
    runner
        .withPropertyValues("management.health.resilience.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ResilienceHealthIndicator.class));
  }

  @Test
  void whenABreakerIsOpenThenHealthStaysUpByDefaultAndListsEveryBreakerState() {
    runner.run(
        context -> {
          ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
          registry.guard("quote", "pricing", false);
          registry.circuitBreaker("exchange").forceOpen();

          Health health = context.getBean(ResilienceHealthIndicator.class).health();

          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails())
              .isEqualTo(Map.of("exchange", "OPEN", "pricing", "CLOSED"));
        });
  }

  @Test
  void whenDownWhenOpenThenHealthIsDownWhileOpenAndUpAgainOnceTheCooldownHasPassedWithoutAnyCall() {
    TestTicker ticker = new TestTicker();
    runner
        .withBean(TestTicker.class, () -> ticker)
        .withPropertyValues(
            "resilience.health.down-when-open=true",
            "resilience.breaker.fail-threshold=1",
            "resilience.breaker.cooldown=1s",
            "resilience.breaker.min-dwell=0s")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              ResilienceHealthIndicator indicator =
                  context.getBean(ResilienceHealthIndicator.class);
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

              Guard placeOrder = registry.guards().get("place_order");
              placeOrder.admit().failed("503");
              assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.OPEN);
              Health open = indicator.health();
              assertThat(open.getStatus()).isEqualTo(Status.DOWN);
              assertThat(open.getDetails()).containsEntry("exchange", "OPEN");

              ticker.advance(Duration.ofMillis(999));
              assertThat(indicator.health().getStatus())
                  .as("one millisecond before the cooldown ends")
                  .isEqualTo(Status.DOWN);

              ticker.advance(Duration.ofMillis(1));
              Health ready = indicator.health();
              assertThat(ready.getDetails())
                  .as(
                      "no call has come yet, and the cooldown has passed: it shows what the next call will find")
                  .containsEntry("exchange", "HALF_OPEN");
              assertThat(ready.getStatus())
                  .as("a drained instance must come back")
                  .isEqualTo(Status.UP);

              placeOrder.admit(); // the probe
              assertThat(registry.circuitBreaker("exchange").state())
                  .isEqualTo(CircuitState.HALF_OPEN);
              Health probing = indicator.health();
              assertThat(probing.getStatus()).isEqualTo(Status.UP);
              assertThat(probing.getDetails()).containsEntry("exchange", "HALF_OPEN");
            });
  }

  @Test
  void whenDownWhenOpenAndABreakerIsForcedOpenThenHealthIsDownUntilItIsClosed() {
    runner
        .withPropertyValues("resilience.health.down-when-open=true")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              ResilienceHealthIndicator indicator =
                  context.getBean(ResilienceHealthIndicator.class);

              registry.circuitBreaker("exchange").forceOpen();
              assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);

              registry.circuitBreaker("exchange").forceClose();
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            });
  }
}
