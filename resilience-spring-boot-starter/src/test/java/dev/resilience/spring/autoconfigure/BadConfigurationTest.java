package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.Guarded;
import dev.resilience.spring.aspect.ResilienceAspectAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every bad value stops start-up with a failure analysis that names it and says how to fix it. */
class BadConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class));

  static class Client {
    @Guarded(endpoint = "place_order", breaker = "exchange")
    public String place() {
      return "placed";
    }
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "resilience.rate-limiter.capacity-per-second | 0 | resilience.rate-limiter.capacity-per-second | greater than 0 and at most 1000000000",
        "resilience.rate-limiter.capacity-per-second | -3 | resilience.rate-limiter.capacity-per-second | greater than 0",
        "resilience.rate-limiter.burst | 0 | resilience.rate-limiter.burst | at least 1",
        "resilience.rate-limiter.max-wait | -1s | resilience.rate-limiter.max-wait | zero or a positive duration",
        "resilience.breaker.probe-count | 0 | resilience.breaker.probe-count | at least 1",
        "resilience.breaker.fail-threshold | 0 | resilience.breaker.fail-threshold | at least 1",
        "resilience.breaker.failure-rate-threshold | 150 | resilience.breaker.failure-rate-threshold | greater than 0 and at most 100",
        "resilience.breaker.failure-rate-threshold | 0 | resilience.breaker.failure-rate-threshold | greater than 0 and at most 100",
        "resilience.breaker.cooldown | 0s | resilience.breaker.cooldown | a positive duration",
        "resilience.breaker.weights.timeout | -2 | resilience.breaker.weights.timeout | greater than 0",
        "resilience.breaker.endpoint-overrides.exchange.minimum-calls | 0 | resilience.breaker.endpoint-overrides.exchange.minimum-calls | at least 1",
        "resilience.rate-limiter.endpoint-overrides.[quote.v2].burst | 0 | resilience.rate-limiter.endpoint-overrides.[quote.v2].burst | at least 1",
        "resilience.breaker.endpoint-overrides.[Exchange].record-exceptions | java.lang.String | resilience.breaker.endpoint-overrides.[Exchange].record-exceptions[0] | the name of a Throwable subclass",
        "resilience.breaker.ignore-exceptions | com.example.NoSuchException | resilience.breaker.ignore-exceptions[0] | the fully qualified name of an exception class",
        "resilience.breaker.record-exceptions | java.lang.String | resilience.breaker.record-exceptions[0] | the name of a Throwable subclass",
      })
  void aBadPropertyStopsStartUpNamingPropertyValueAndWhatIsAllowed(
      String property, String value, String reported, String allowed) {
    runner
        .withBean(Client.class)
        .withPropertyValues(property + "=" + value)
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new InvalidResiliencePropertiesFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis).as("analysed").isNotNull();
              assertThat(analysis.getDescription())
                  .startsWith("Invalid resilience configuration: 1 property is wrong.")
                  .contains("Property: " + reported + "\n    Value: \"" + value + "\"\n")
                  .contains("Reason: must be " + allowed);
              assertThat(analysis.getAction()).contains("- " + reported + ": set it to " + allowed);
            });
  }

  @Test
  void theAnalyzerIsRegisteredForSpringBoot() throws Exception {
    var factories = new java.util.Properties();
    try (var in = getClass().getResourceAsStream("/META-INF/spring.factories")) {
      factories.load(in);
    }
    assertThat(
            factories
                .getProperty("org.springframework.boot.diagnostics.FailureAnalyzer")
                .split(","))
        .contains(InvalidResiliencePropertiesFailureAnalyzer.class.getName());
  }
}
