package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Ticker;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.aspect.GuardedMethodAdvisor;
import dev.resilience.spring.aspect.ResilienceAspectAutoConfiguration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

@ExtendWith(OutputCaptureExtension.class)
class ResilienceAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TradingClient.class);

  public static class TradingClient {

    @Guarded(endpoint = "place_order", breaker = "exchange")
    public String place() {
      return "placed";
    }

    @Guarded(endpoint = "cancel_order", breaker = "exchange")
    public String cancel() {
      return "cancelled";
    }
  }

  @Test
  void whenNothingIsSetThenTheDocumentedDefaultsApply() {
    runner.run(
        context -> {
          ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
          assertThat(registry.circuitBreaker("exchange").config())
              .isEqualTo(CircuitBreakerConfig.defaults());
          assertThat(registry.rateLimiter("place_order").config())
              .isEqualTo(new RateLimiterConfig(8, 16, Duration.ofSeconds(1)));
          assertThat(context).hasSingleBean(GuardedMethodAdvisor.class).hasSingleBean(Ticker.class);
        });
  }

  @Test
  void whenOverridesAreSetThenTheyApplyPerNameOnTopOfTheDefaults() {
    runner
        .withPropertyValues(
            "resilience.breaker.fail-threshold=7",
            "resilience.breaker.weights.timeout=2.0",
            "resilience.breaker.endpoint-overrides.exchange.fail-threshold=3",
            "resilience.breaker.endpoint-overrides.exchange.cooldown=10s",
            "resilience.rate-limiter.capacity-per-second=2.5",
            "resilience.rate-limiter.endpoint-overrides.place_order.capacity-per-second=5",
            "resilience.rate-limiter.endpoint-overrides.place_order.burst=10")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              CircuitBreakerConfig exchange = registry.circuitBreaker("exchange").config();
              assertThat(exchange.failThreshold()).isEqualTo(3);
              assertThat(exchange.cooldown()).isEqualTo(Duration.ofSeconds(10));
              assertThat(exchange.weight("timeout"))
                  .as("inherited from the defaults")
                  .isEqualTo(2.0);
              assertThat(registry.circuitBreaker("other").config().failThreshold()).isEqualTo(7);
              assertThat(registry.rateLimiter("place_order").config())
                  .isEqualTo(new RateLimiterConfig(5, 10, Duration.ofSeconds(1)));
              assertThat(registry.rateLimiter("cancel_order").config().capacityPerSecond())
                  .isEqualTo(2.5);
            });
  }

  static class VersionedClient {
    @Guarded(endpoint = "quote.v2")
    public String quote() {
      return "quote";
    }
  }

  @Test
  void whenAnEndpointNameHasADotThenItsBracketedOverrideKeyApplies() {
    runner
        .withBean(VersionedClient.class)
        .withPropertyValues("resilience.rate-limiter.endpoint-overrides.[quote.v2].burst=4")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.rateLimiter("quote.v2").config().burst()).isEqualTo(4);
            });
  }

  @Test
  void whenSetThroughRelaxedEnvironmentNamesThenTheyBind() {
    runner
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(
                                "RESILIENCE_RATELIMITER_BURST",
                                "4",
                                "RESILIENCE_BREAKER_FAILTHRESHOLD",
                                "5"))))
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.rateLimiter("place_order").config().burst()).isEqualTo(4);
              assertThat(registry.circuitBreaker("exchange").config().failThreshold()).isEqualTo(5);
            });
  }

  @Test
  void whenActuatorMicrometerMvcAndWebFluxAreAbsentThenCallsAreStillGuarded() {
    new ApplicationContextRunner()
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.boot.actuate",
                "org.springframework.boot.health",
                "io.micrometer",
                "org.springframework.web.servlet",
                "org.springframework.web.reactive"))
        .withConfiguration(
            AutoConfigurations.of(
                AopAutoConfiguration.class,
                ResilienceAutoConfiguration.class,
                ResilienceAspectAutoConfiguration.class,
                dev.resilience.spring.web.ResilienceWebAutoConfiguration.class))
        .withBean(TradingClient.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(GuardedMethodAdvisor.class);
              context.getBean(ResilienceRegistry.class).circuitBreaker("exchange").forceOpen();
              assertThatExceptionOfType(CircuitOpenException.class)
                  .isThrownBy(() -> context.getBean(TradingClient.class).place());
            });
  }

  @Test
  void whenTheUserDefinesRegistryAndTickerThenOursBackOff() {
    ResilienceRegistry own =
        ResilienceRegistry.builder()
            .rateLimiterDefaults(new RateLimiterConfig(1, 1, Duration.ZERO))
            .build();
    Ticker ticker = () -> 42L;
    runner
        .withBean(ResilienceRegistry.class, () -> own)
        .withBean(Ticker.class, () -> ticker)
        .run(
            context -> {
              assertThat(context.getBean(ResilienceRegistry.class)).isSameAs(own);
              assertThat(context.getBean(Ticker.class)).isSameAs(ticker);
              assertThat(own.guards()).containsKeys("place_order", "cancel_order");
            });
  }

  @Test
  void whenAnOverrideNamesNoDeclaredEndpointThenOneWarningNamesIt(CapturedOutput output) {
    runner
        .withPropertyValues(
            "resilience.rate-limiter.endpoint-overrides.plce_order.burst=3",
            "resilience.retry.endpoint-overrides.plce_ordr.max-attempts=2",
            "resilience.bulkhead.endpoint-overrides.plac_order.max-concurrent=2",
            "resilience.adaptive.endpoint-overrides.place_ordr.enabled=true",
            "resilience.breaker.endpoint-overrides.exchnge.fail-threshold=3")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              String log = output.getOut() + output.getErr();
              assertThat(log)
                  .containsOnlyOnce(
                      "resilience.rate-limiter.endpoint-overrides.plce_order names no @Guarded endpoint")
                  .containsOnlyOnce(
                      "resilience.retry.endpoint-overrides.plce_ordr names no @Guarded endpoint")
                  .containsOnlyOnce(
                      "resilience.bulkhead.endpoint-overrides.plac_order names no @Guarded endpoint")
                  .containsOnlyOnce(
                      "resilience.adaptive.endpoint-overrides.place_ordr names no @Guarded endpoint")
                  .containsOnlyOnce(
                      "resilience.breaker.endpoint-overrides.exchnge names no @Guarded breaker")
                  .contains("[cancel_order, place_order]");
            });
  }

  @Test
  void whenEveryOverrideMatchesThenNothingIsWarned(CapturedOutput output) {
    runner
        .withPropertyValues("resilience.rate-limiter.endpoint-overrides.place_order.burst=3")
        .run(
            context ->
                assertThat(output.getOut() + output.getErr()).doesNotContain("names no @Guarded"));
  }

  @Test
  void whenAPropertyIsBadThenStartUpFailsWithAnAnalysisNamingPropertyValueAndFix() {
    runner
        .withPropertyValues("resilience.rate-limiter.endpoint-overrides.place_order.burst=0")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidResiliencePropertiesFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.rate-limiter.endpoint-overrides.place_order.burst
                  Value: "0"
                  Origin: "resilience.rate-limiter.endpoint-overrides.place_order.burst" from property source "test"
                  Reason: must be at least 1
              """);
              assertThat(analysis.getAction())
                  .endsWith(
                      "- resilience.rate-limiter.endpoint-overrides.place_order.burst: set it to at least 1");
            });
  }
}
