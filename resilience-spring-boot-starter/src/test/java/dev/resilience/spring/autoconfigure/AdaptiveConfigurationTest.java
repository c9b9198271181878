package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.AdaptiveLimitConfig.Algorithm;
import dev.resilience.core.ResilienceRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code resilience.adaptive.*}: off by default, defaults and overrides (enabled included) reach
 * the registry, bad values stop start-up in the strict check's report named as written, and an
 * endpoint with both a bulkhead max-concurrent and an adaptive limit stops start-up.
 */
class AdaptiveConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

  @Test
  void whenNothingIsSetThenNoEndpointHasAnAdaptiveLimit() {
    runner.run(
        context -> {
          ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
          assertThat(registry.adaptiveLimitConfig("quotes")).isNull();
          assertThat(registry.guard("quotes", "exchange", false).adaptiveLimit()).isNull();
        });
  }

  @Test
  void whenEnabledThenDefaultsAndOverridesReachTheRegistry() {
    runner
        .withPropertyValues(
            "resilience.adaptive.enabled=true",
            "resilience.adaptive.max-limit=50",
            "resilience.adaptive.endpoint-overrides.quotes.algorithm=gradient",
            "resilience.adaptive.endpoint-overrides.quotes.min-limit=2",
            "resilience.adaptive.endpoint-overrides.quotes.max-limit=8",
            "resilience.adaptive.endpoint-overrides.quotes.backoff-ratio=0.5",
            "resilience.adaptive.endpoint-overrides.quotes.tolerance=1.3",
            "resilience.adaptive.endpoint-overrides.place_order.enabled=false")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              AdaptiveLimitConfig tuning = AdaptiveLimitConfig.defaults();
              assertThat(registry.adaptiveLimitConfig("other"))
                  .isEqualTo(tuning.withLimits(1, 50, 20));
              assertThat(registry.adaptiveLimitConfig("quotes"))
                  .as("an unset initial limit comes within the endpoint's bounds")
                  .isEqualTo(
                      new AdaptiveLimitConfig(
                          Algorithm.GRADIENT,
                          2,
                          8,
                          8,
                          0.5,
                          tuning.shortWindow(),
                          tuning.longWindow(),
                          1.3,
                          tuning.smoothing()));
              assertThat(registry.adaptiveLimitConfig("other").tolerance())
                  .as("the default tolerance, above 1")
                  .isEqualTo(1.1);
              assertThat(registry.adaptiveLimitConfig("place_order")).isNull();
              assertThat(registry.guard("quotes", "exchange", false).adaptiveLimit().limit())
                  .isEqualTo(8);
              assertThat(registry.guard("place_order", "exchange", false).adaptiveLimit()).isNull();
            });
  }

  @Test
  void whenOneEndpointEnablesItThenOnlyThatEndpointHasOne() {
    runner
        .withPropertyValues(
            "resilience.adaptive.endpoint-overrides.quotes.enabled=true",
            "resilience.adaptive.endpoint-overrides.quotes.initial-limit=5")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.adaptiveLimitConfig("quotes").initialLimit()).isEqualTo(5);
              assertThat(registry.adaptiveLimitConfig("other")).isNull();
            });
  }

  @Test
  void whenValuesAreBadThenStartUpStopsNamingEachPropertyAndTheAllowedValues() {
    runner
        .withPropertyValues(
            "resilience.adaptive.algorithm=vegas",
            "resilience.adaptive.min-limit=0",
            "resilience.adaptive.endpoint-overrides.quotes.backoff-ratio=1.5")
        .run(
            context -> {
              String description = analysis(context).getDescription();
              assertThat(description)
                  .contains("Property: resilience.adaptive.algorithm")
                  .contains("Value: \"vegas\"")
                  .contains("Reason: must be one of aimd, gradient")
                  .contains("Property: resilience.adaptive.min-limit")
                  .contains("Reason: must be at least 1");
            });
    runner
        .withPropertyValues(
            "resilience.adaptive.max-limit=10",
            "resilience.adaptive.endpoint-overrides.quotes.backoff-ratio=1.5",
            "resilience.adaptive.endpoint-overrides.orders.initial-limit=11",
            "resilience.adaptive.endpoint-overrides.ticks.tolerance=0.9")
        .run(
            context -> {
              String description = analysis(context).getDescription();
              assertThat(description)
                  .contains("3 properties are wrong")
                  .contains("Property: resilience.adaptive.endpoint-overrides.ticks.tolerance")
                  .contains("Reason: must be at least 1 and finite")
                  .contains("Property: resilience.adaptive.endpoint-overrides.quotes.backoff-ratio")
                  .contains("Reason: must be greater than 0 and less than 1")
                  .contains("Property: resilience.adaptive.endpoint-overrides.orders.initial-limit")
                  .contains("Reason: must be from minLimit (1) to maxLimit (10)");
            });
  }

  @Test
  void whenAnEndpointHasBothABulkheadAndAnAdaptiveLimitThenStartUpStops() {
    runner
        .withPropertyValues(
            "resilience.bulkhead.endpoint-overrides.quotes.max-concurrent=4",
            "resilience.adaptive.endpoint-overrides.quotes.enabled=true")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .contains("Property: resilience.adaptive.endpoint-overrides.quotes.enabled")
                  .contains(
                      "Reason: endpoint 'quotes' would have both an adaptive limit and a bulkhead"
                          + " max-concurrent of 4: the adaptive limit replaces the bulkhead's"
                          + " fixed max-concurrent");
              assertThat(analysis.getAction())
                  .contains(
                      "set resilience.bulkhead.endpoint-overrides.quotes.max-concurrent to 0, or"
                          + " resilience.adaptive.endpoint-overrides.quotes.enabled to false");
            });
    runner
        .withPropertyValues(
            "resilience.bulkhead.max-concurrent=4", "resilience.adaptive.enabled=true")
        .run(
            context ->
                assertThat(analysis(context).getDescription())
                    .contains("Property: resilience.adaptive.enabled")
                    .contains(
                        "every endpoint would have both an adaptive limit and"
                            + " resilience.bulkhead.max-concurrent 4"));
    runner
        .withPropertyValues(
            "resilience.bulkhead.max-concurrent=4",
            "resilience.adaptive.endpoint-overrides.quotes.enabled=true",
            "resilience.bulkhead.endpoint-overrides.quotes.max-concurrent=0")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.guard("quotes", "exchange", false).adaptiveLimit()).isNotNull();
              assertThat(registry.guard("other", "exchange", false).bulkhead()).isNotNull();
            });
  }

  private static FailureAnalysis analysis(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    return new InvalidResiliencePropertiesFailureAnalyzer().analyze(context.getStartupFailure());
  }
}
