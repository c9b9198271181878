package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.RetryConfig;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code resilience.retry.*}: off by default, an override over the defaults, and bad values or
 * retry-on codes no breaker counts stop start-up in the strict check's report.
 */
class RetryConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

  @Test
  void retriesAreOffByDefaultAndAnOverrideSetsOnlyWhatItNames() {
    runner
        .withPropertyValues(
            "resilience.retry.endpoint-overrides.place_order.max-attempts=3",
            "resilience.retry.endpoint-overrides.place_order.retry-on=503,timeout")
        .run(
            context -> {
              ResilienceProperties.Retry retry =
                  context.getBean(ResilienceProperties.class).getRetry();
              assertThat(retry.configOf("quotes").maxAttempts()).isEqualTo(1);
              RetryConfig placeOrder = retry.configOf("place_order");
              assertThat(placeOrder.maxAttempts()).isEqualTo(3);
              assertThat(placeOrder.retryOn()).isEqualTo(Set.of("503", "timeout"));
              assertThat(placeOrder.initialBackoff()).isEqualTo(Duration.ofMillis(100));
              assertThat(retry.configOf("quotes").retryOn())
                  .as("io is read as network")
                  .contains("network");
            });
  }

  @Test
  void badValuesAndUnknownCodesStopStartUp() {
    runner
        .withPropertyValues(
            "resilience.retry.max-attempts=0",
            "resilience.retry.retry-on=503,5xx",
            "resilience.retry.endpoint-overrides.quotes.multiplier=0.5")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new InvalidResiliencePropertiesFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("Property: resilience.retry.max-attempts")
                  .contains("Reason: must be at least 1")
                  .contains("Property: resilience.retry.retry-on[1]")
                  .contains("unknown failure code '5xx'");
            });
  }
}
