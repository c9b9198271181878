package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code resilience.timeout.*}: bad values stop start-up in the strict check's report. */
class TimeoutConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

  @Test
  void unsetByDefaultAndAnOverrideOf0RemovesTheDefault() {
    ResilienceProperties.Timeout timeout = new ResilienceProperties().getTimeout();
    assertThat(timeout.durationOf("quotes")).isNull();
    timeout.setDuration(java.time.Duration.ofSeconds(3));
    ResilienceProperties.TimeoutOverride none = new ResilienceProperties.TimeoutOverride();
    none.setDuration(java.time.Duration.ZERO);
    timeout.getEndpointOverrides().put("quotes", none);
    assertThat(timeout.durationOf("quotes")).isNull();
    assertThat(timeout.durationOf("ticks")).isEqualTo(java.time.Duration.ofSeconds(3));
  }

  @Test
  void aNegativeTimeoutStopsStartUpNamingTheProperty() {
    runner
        .withPropertyValues(
            "resilience.timeout.duration=-1s",
            "resilience.timeout.endpoint-overrides.quotes.duration=-5ms")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new InvalidResiliencePropertiesFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("2 properties are wrong")
                  .contains("Property: resilience.timeout.duration")
                  .contains("Reason: must be a positive duration, or 0 for none")
                  .contains("Property: resilience.timeout.endpoint-overrides.quotes.duration")
                  .contains("Value: \"-5ms\"");
            });
  }
}
