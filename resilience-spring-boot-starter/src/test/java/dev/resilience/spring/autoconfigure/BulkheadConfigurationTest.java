package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.BulkheadConfig;
import dev.resilience.core.ResilienceRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code resilience.bulkhead.*}: off by default, defaults and overrides reach the registry, and bad
 * values stop start-up in the strict check's report, named as written.
 */
class BulkheadConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

  @Test
  void withoutSettingsNoEndpointHasABulkhead() {
    runner.run(
        context ->
            assertThat(context.getBean(ResilienceRegistry.class).bulkheadConfig("quotes"))
                .isEqualTo(BulkheadConfig.none()));
  }

  @Test
  void defaultsAndOverridesReachTheRegistry() {
    runner
        .withPropertyValues(
            "resilience.bulkhead.max-concurrent=20",
            "resilience.bulkhead.max-wait=50ms",
            "resilience.bulkhead.endpoint-overrides.quotes.max-concurrent=8",
            "resilience.bulkhead.endpoint-overrides.place_order.max-concurrent=0")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.bulkheadConfig("quotes"))
                  .isEqualTo(new BulkheadConfig(8, Duration.ofMillis(50)));
              assertThat(registry.bulkheadConfig("place_order").enabled())
                  .as("0 turns it off for one endpoint")
                  .isFalse();
              assertThat(registry.bulkheadConfig("other"))
                  .isEqualTo(new BulkheadConfig(20, Duration.ofMillis(50)));
              assertThat(registry.guard("quotes", "exchange", false).bulkhead().config())
                  .isEqualTo(new BulkheadConfig(8, Duration.ofMillis(50)));
              assertThat(registry.guard("place_order", "exchange", false).bulkhead()).isNull();
            });
  }

  @Test
  void badValuesStopStartUpNamingEachProperty() {
    runner
        .withPropertyValues(
            "resilience.bulkhead.max-concurrent=-1",
            "resilience.bulkhead.endpoint-overrides.quotes.max-wait=-5ms")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new InvalidResiliencePropertiesFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("2 properties are wrong")
                  .contains("Property: resilience.bulkhead.max-concurrent")
                  .contains("Reason: must be at least 0")
                  .contains("Property: resilience.bulkhead.endpoint-overrides.quotes.max-wait")
                  .contains("Value: \"-5ms\"");
            });
  }
}
