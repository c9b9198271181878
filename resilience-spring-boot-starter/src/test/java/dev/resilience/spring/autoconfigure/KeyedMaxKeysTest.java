package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.aspect.ResilienceAspectAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code resilience.rate-limiter.max-keys} bounds the keys of every keyed endpoint and inbound
 * rule; a bad value stops start-up in the one report of wrong properties.
 */
class KeyedMaxKeysTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(AccountClient.class);

  static class AccountClient {
    @Guarded(endpoint = "place_order", key = "#account")
    public String place(String account) {
      return "placed for " + account;
    }
  }

  private static final String ACTION =
      "Update the application's configuration (application.yml, application.properties, command-line arguments or"
          + " environment variables):\n";

  @Test
  void whenMaxKeysIsNotSetThenEachKeyedLimiterHoldsAtMost100000Keys() {
    runner.run(
        context -> {
          ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
          assertThat(registry.findKeyedRateLimiter("place_order").maxKeys()).isEqualTo(100_000);
          assertThat(context.getBean(ResilienceProperties.class).getRateLimiter().getMaxKeys())
              .isEqualTo(100_000);
        });
  }

  @Test
  void whenMaxKeysIsSetThenKeyedEndpointsAndRulesAreBuiltWithIt() {
    runner
        .withPropertyValues("resilience.rate-limiter.max-keys=3")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.findKeyedRateLimiter("place_order").maxKeys()).isEqualTo(3);
              // what an inbound rule gets from the same registry
              assertThat(
                      registry
                          .keyedRateLimiter("orders", Limits.of(Limit.of(5, Duration.ofSeconds(1))))
                          .maxKeys())
                  .isEqualTo(3);
            });
  }

  @Test
  void whenMaxKeysIsSetThroughAnEnvironmentVariableStyleNameThenItBinds() {
    runner
        .withPropertyValues("resilience.rateLimiter.maxKeys=7")
        .run(
            context ->
                assertThat(
                        context
                            .getBean(ResilienceRegistry.class)
                            .findKeyedRateLimiter("place_order")
                            .maxKeys())
                    .isEqualTo(7));
  }

  @Test
  void whenMaxKeysIsZeroThenStartUpFailsNamingThePropertyTheValueAndTheFix() {
    runner
        .withPropertyValues("resilience.rate-limiter.max-keys=0")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new InvalidResiliencePropertiesFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.rate-limiter.max-keys
                  Value: "0"
                  Origin: "resilience.rate-limiter.max-keys" from property source "test"
                  Reason: must be at least 1
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION + "\n    - resilience.rate-limiter.max-keys: set it to at least 1");
            });
  }

  @Test
  void whenMaxKeysIsNotAWholeNumberThenStartUpFailsSayingSo() {
    runner
        .withPropertyValues(
            "resilience.rate-limiter.max-keys=lots", "resilience.rate-limiter.burst=0")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidResiliencePropertiesFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .startsWith("Invalid resilience configuration: 2 properties are wrong.")
                  .contains(
                      """
                  Property: resilience.rate-limiter.max-keys
                  Value: "lots"
                  Origin: "resilience.rate-limiter.max-keys" from property source "test"
                  Reason: must be a whole number
              """)
                  .contains("Property: resilience.rate-limiter.burst");
            });
  }
}
