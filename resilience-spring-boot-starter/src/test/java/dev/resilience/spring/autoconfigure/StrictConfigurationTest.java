package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Nothing under {@code resilience} is silently ignored: unknown keys and unknown weight codes stop
 * start-up next to bad values, all in one report that shows each value as it was written.
 */
@ExtendWith(OutputCaptureExtension.class)
class StrictConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
          .withBean(Client.class);

  static class Client {
    @Guarded(endpoint = "place_order", breaker = "exchange")
    public String place() {
      return "placed";
    }

    @Guarded(endpoint = "quote.v2")
    public String quote() {
      return "quote";
    }
  }

  private static FailureAnalysis analysis(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis =
        new InvalidResiliencePropertiesFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
    return analysis;
  }

  private static final String ACTION =
      "Update the application's configuration (application.yml, application.properties, command-line arguments or"
          + " environment variables):\n";

  @Test
  void whenABreakerIsForcedOpenByPropertyThenItStartsOpenAndTheLogSaysHowToUndoIt(
      CapturedOutput output) {
    runner
        .withPropertyValues("resilience.breaker.endpoint-overrides.exchange.forced=open")
        .run(
            context -> {
              CircuitBreaker exchange =
                  context.getBean(ResilienceRegistry.class).circuitBreaker("exchange");
              assertThat(exchange.state()).isEqualTo(CircuitState.OPEN);
              assertThat(exchange.snapshot().forced()).isTrue();
              assertThat(output)
                  .contains(
                      "Breaker 'exchange' starts forced OPEN by"
                          + " resilience.breaker.endpoint-overrides.exchange.forced=open: every call"
                          + " through it is rejected; to undo it for this run only, POST"
                          + " {\"action\": \"reset\"} to /actuator/resilience/exchange, and"
                          + " remove resilience.breaker.endpoint-overrides.exchange.forced to undo"
                          + " it for good");
            });
  }

  @Test
  void whenABreakerIsForcedClosedByPropertyThenFailuresDoNotOpenIt(CapturedOutput output) {
    runner
        .withPropertyValues(
            "resilience.breaker.endpoint-overrides.exchange.forced=closed",
            "resilience.breaker.endpoint-overrides.exchange.fail-threshold=1")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              Guard placeOrder = registry.guard("place_order", "exchange", false);
              placeOrder.admit().failed("503");
              placeOrder.admit().failed("503");
              assertThat(registry.circuitBreaker("exchange").state())
                  .isEqualTo(CircuitState.CLOSED);
              assertThat(output).contains("Breaker 'exchange' starts held CLOSED by");
            });
  }

  @Test
  void whenForcedHasAnotherValueThenStartUpFailsNamingThePropertyAndTheAllowedValues() {
    runner
        .withPropertyValues("resilience.breaker.endpoint-overrides.exchange.forced=half")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.breaker.endpoint-overrides.exchange.forced
                  Value: "half"
                  Origin: "resilience.breaker.endpoint-overrides.exchange.forced" from property source "test"
                  Reason: must be one of open, closed
              """);
            });
  }

  @Test
  void whenABreakerKeyIsMisspelledThenStartUpFailsNamingTheClosestKey() {
    runner
        .withPropertyValues("resilience.breaker.fail-treshold=3")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.breaker.fail-treshold
                  Value: "3"
                  Origin: "resilience.breaker.fail-treshold" from property source "test"
                  Reason: unknown property; did you mean resilience.breaker.fail-threshold?
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.breaker.fail-treshold: rename it to resilience.breaker.fail-threshold");
            });
  }

  @Test
  void whenAGroupIsMisspelledThenTheSuggestionCorrectsTheGroup() {
    runner
        .withPropertyValues("resilience.rate-limitter.burst=4")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.rate-limitter.burst
                  Value: "4"
                  Origin: "resilience.rate-limitter.burst" from property source "test"
                  Reason: unknown property; did you mean resilience.rate-limiter.burst?
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.rate-limitter.burst: rename it to resilience.rate-limiter.burst");
            });
  }

  @Test
  void whenHonorRetryAfterIsSpelledTheBritishWayThenTheSuggestionNamesTheKey() {
    runner
        .withPropertyValues("resilience.rate-limiter.honour-retry-after=false")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.rate-limiter.honour-retry-after
                  Value: "false"
                  Origin: "resilience.rate-limiter.honour-retry-after" from property source "test"
                  Reason: unknown property; did you mean resilience.rate-limiter.honor-retry-after?
              """);
            });
  }

  @Test
  void whenAKeyInsideABreakerOverrideIsMisspelledThenStartUpFailsNamingTheOverridesKey() {
    runner
        .withPropertyValues("resilience.breaker.endpoint-overrides.exchange.cooldwn=10s")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.breaker.endpoint-overrides.exchange.cooldwn
                  Value: "10s"
                  Origin: "resilience.breaker.endpoint-overrides.exchange.cooldwn" from property source "test"
                  Reason: unknown property; did you mean resilience.breaker.endpoint-overrides.exchange.cooldown?
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.breaker.endpoint-overrides.exchange.cooldwn: rename it to"
                          + " resilience.breaker.endpoint-overrides.exchange.cooldown");
            });
  }

  @Test
  void whenAKeyInsideALimiterOverrideHasTwoLettersSwappedThenTheClosestKeyIsNamed() {
    runner
        .withPropertyValues("resilience.rate-limiter.endpoint-overrides.place_order.brust=4")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.rate-limiter.endpoint-overrides.place_order.brust
                  Value: "4"
                  Origin: "resilience.rate-limiter.endpoint-overrides.place_order.brust" from property source "test"
                  Reason: unknown property; did you mean resilience.rate-limiter.endpoint-overrides.place_order.burst?
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.rate-limiter.endpoint-overrides.place_order.brust: rename it to"
                          + " resilience.rate-limiter.endpoint-overrides.place_order.burst");
            });
  }

  @Test
  void whenNoKeyIsCloseThenTheKeysOfThatLevelAreListed() {
    runner
        .withPropertyValues("resilience.rate-limiter.colour=red")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.rate-limiter.colour
                  Value: "red"
                  Origin: "resilience.rate-limiter.colour" from property source "test"
                  Reason: unknown property: 'colour' is not a key of resilience.rate-limiter, whose keys are \
              capacity-per-second, burst, max-wait, endpoint-overrides, max-keys, honor-retry-after, backend, redis
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.rate-limiter.colour: remove it, or use one of the keys of resilience.rate-limiter listed above");
            });
  }

  @Test
  void whenAnEnvironmentVariableIsMisspelledThenItIsReportedWithTheVariableAsOrigin() {
    runner
        .withInitializer(
            context ->
                environmentVariables(
                    context.getEnvironment(), Map.of("RESILIENCE_BREAKER_FAILTRESHOLD", "3")))
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
                  Invalid resilience configuration: 1 property is wrong.

                      Property: resilience.breaker.failtreshold
                      Value: "3"
                      Origin: "RESILIENCE_BREAKER_FAILTRESHOLD" from property source "systemEnvironment"
                      Reason: unknown property; did you mean resilience.breaker.fail-threshold?
                  """);
            });
  }

  @Test
  void whenSetInEveryRelaxedFormThenEverySettingBindsAndNothingIsUnknown() {
    runner
        .withInitializer(
            context -> {
              environmentVariables(
                  context.getEnvironment(),
                  Map.of(
                      "RESILIENCE_RATELIMITER_BURST",
                      "4",
                      "RESILIENCE_BREAKER_FAILTHRESHOLD",
                      "5"));
              context
                  .getEnvironment()
                  .getPropertySources()
                  .addFirst(
                      new SimpleCommandLinePropertySource(
                          "--resilience.rate-limiter.max-wait=250ms"));
            })
        .withPropertyValues(
            "resilience.rateLimiter.capacityPerSecond=3",
            "resilience.rate-limiter.endpoint-overrides.[quote.v2].burst=2",
            "resilience.breaker.record-exceptions[0]=java.lang.IllegalStateException",
            "resilience.breaker.ignore-exceptions=java.lang.IllegalArgumentException,java.lang.UnsupportedOperationException",
            "resilience.breaker.weights.timeout=2.0",
            "resilience.breaker.endpoint-overrides.exchange.weights.503=1.5")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.rateLimiter("place_order").config().burst()).isEqualTo(4);
              assertThat(registry.rateLimiter("place_order").config().capacityPerSecond())
                  .isEqualTo(3);
              assertThat(registry.rateLimiter("place_order").config().maxWait()).hasMillis(250);
              assertThat(registry.rateLimiter("quote.v2").config().burst()).isEqualTo(2);
              assertThat(registry.circuitBreaker("exchange").config().failThreshold()).isEqualTo(5);
              assertThat(registry.circuitBreaker("exchange").config().weight("timeout"))
                  .isEqualTo(2.0);
              assertThat(registry.circuitBreaker("exchange").config().weight("503")).isEqualTo(1.5);
            });
  }

  @Test
  void whenAWeightCodeIsMisspelledInTheDefaultsThenStartUpFailsNamingTheClosestCode() {
    runner
        .withPropertyValues("resilience.breaker.weights.tiemout=2.0")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.breaker.weights.tiemout
                  Value: "2.0"
                  Origin: "resilience.breaker.weights.tiemout" from property source "test"
                  Reason: unknown failure code 'tiemout'; did you mean timeout?
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.breaker.weights.tiemout: rename it to resilience.breaker.weights.timeout");
            });
  }

  @Test
  void whenAWeightCodeIsUnknownInAnOverrideThenTheKnownCodesAreListed() {
    runner
        .withPropertyValues(
            "resilience.breaker.endpoint-overrides.exchange.record-exceptions=java.lang.IllegalStateException",
            "resilience.breaker.endpoint-overrides.exchange.weights.rejected=2.0")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
                  Invalid resilience configuration: 1 property is wrong.

                      Property: resilience.breaker.endpoint-overrides.exchange.weights.rejected
                      Value: "2.0"
                      Origin: "resilience.breaker.endpoint-overrides.exchange.weights.rejected" from property source "test"
                      Reason: unknown failure code 'rejected': breakers count failures under 429, 500 to 599, timeout, \
                  network, slow and the simple names of the recorded exceptions (IllegalStateException)
                  """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.breaker.endpoint-overrides.exchange.weights.rejected: remove it, or use one of those codes");
            });
  }

  @Test
  void whenARecordedExceptionIsWeightedByItsSimpleNameThenTheWeightApplies() {
    runner
        .withPropertyValues(
            "resilience.breaker.record-exceptions=java.lang.IllegalStateException",
            "resilience.breaker.weights.IllegalStateException=3.0",
            "resilience.breaker.endpoint-overrides.exchange.record-exceptions=java.util.ConcurrentModificationException",
            "resilience.breaker.endpoint-overrides.exchange.weights.ConcurrentModificationException=4.0")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.circuitBreaker("other").config().weight("IllegalStateException"))
                  .isEqualTo(3.0);
              assertThat(
                      registry
                          .circuitBreaker("exchange")
                          .config()
                          .weight("ConcurrentModificationException"))
                  .isEqualTo(4.0);
            });
  }

  @Test
  void whenARecordedExceptionsCodeLostItsCaseThenItsExactNameIsSuggested() {
    runner
        .withPropertyValues(
            "resilience.breaker.record-exceptions=java.lang.IllegalStateException",
            "resilience.breaker.weights.illegalstateexception=3.0")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .endsWith(
                      "Reason: unknown failure code 'illegalstateexception'; did you mean IllegalStateException?\n");
              assertThat(analysis.getAction())
                  .endsWith(
                      "- resilience.breaker.weights.illegalstateexception: rename it to resilience.breaker.weights.IllegalStateException");
            });
  }

  @Test
  void whenANegativeDurationIsSetThenItIsReportedAsWritten() {
    runner
        .withPropertyValues("resilience.breaker.endpoint-overrides.exchange.cooldown=-10s")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 1 property is wrong.

                  Property: resilience.breaker.endpoint-overrides.exchange.cooldown
                  Value: "-10s"
                  Origin: "resilience.breaker.endpoint-overrides.exchange.cooldown" from property source "test"
                  Reason: must be a positive duration
              """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.breaker.endpoint-overrides.exchange.cooldown: set it to a positive duration");
            });
  }

  @Test
  void whenThreeValuesAreBadThenAllThreeAreReportedAtOnce() {
    runner
        .withPropertyValues(
            "resilience.breaker.cooldown=-10s",
            "resilience.breaker.endpoint-overrides.exchange.probe-count=0",
            "resilience.rate-limiter.endpoint-overrides.[quote.v2].max-wait=-1ms")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
                  Invalid resilience configuration: 3 properties are wrong.

                      Property: resilience.breaker.cooldown
                      Value: "-10s"
                      Origin: "resilience.breaker.cooldown" from property source "test"
                      Reason: must be a positive duration

                      Property: resilience.breaker.endpoint-overrides.exchange.probe-count
                      Value: "0"
                      Origin: "resilience.breaker.endpoint-overrides.exchange.probe-count" from property source "test"
                      Reason: must be at least 1

                      Property: resilience.rate-limiter.endpoint-overrides.[quote.v2].max-wait
                      Value: "-1ms"
                      Origin: "resilience.rate-limiter.endpoint-overrides.[quote.v2].max-wait" from property source "test"
                      Reason: must be zero or a positive duration
                  """);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      ACTION
                          + "\n    - resilience.breaker.cooldown: set it to a positive duration"
                          + "\n    - resilience.breaker.endpoint-overrides.exchange.probe-count: set it to at least 1"
                          + "\n    - resilience.rate-limiter.endpoint-overrides.[quote.v2].max-wait: set it to zero or a positive duration");
            });
  }

  @Test
  void whenAGroupWithOneKeyIsGivenASingleValueThenTheReportNamesItsKey() {
    runner
        .withPropertyValues("resilience.health=strict")
        .run(
            context ->
                assertThat(analysis(context).getDescription())
                    .contains("Property: resilience.health")
                    .contains("Reason: must be keys (down-when-open), not a single value"));
  }

  @Test
  void whenValuesAreNotEvenOfTheRightTypeThenTheyAreReportedWithTheRangeErrors() {
    runner
        .withPropertyValues(
            "resilience.rate-limiter.burst=lots",
            "resilience.breaker.cooldown=soon",
            "resilience.breaker.probe-count=0",
            "resilience.breaker.endpoint-overrides.exchange=strict")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
                  Invalid resilience configuration: 4 properties are wrong.

                      Property: resilience.breaker.cooldown
                      Value: "soon"
                      Origin: "resilience.breaker.cooldown" from property source "test"
                      Reason: must be a duration such as 500ms, 10s or 1m

                      Property: resilience.breaker.endpoint-overrides.exchange
                      Value: "strict"
                      Origin: "resilience.breaker.endpoint-overrides.exchange" from property source "test"
                      Reason: must be keys (window, fail-threshold, cooldown, ...), not a single value

                      Property: resilience.rate-limiter.burst
                      Value: "lots"
                      Origin: "resilience.rate-limiter.burst" from property source "test"
                      Reason: must be a whole number

                      Property: resilience.breaker.probe-count
                      Value: "0"
                      Origin: "resilience.breaker.probe-count" from property source "test"
                      Reason: must be at least 1
                  """);
            });
  }

  @Test
  void whenEveryKindOfMistakeIsMadeThenOneFailureListsThemAll() {
    runner
        .withPropertyValues(
            "resilience.breaker.fail-treshold=3",
            "resilience.breaker.burst=0",
            "resilience.breaker.record-exceptions[0]=com.example.NoSuchException",
            "resilience.breaker.weights.NoSuchException=2.0",
            "resilience.breaker.weights.tiemout=2.0",
            "resilience.rate-limiter.capacity-per-second=0")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .startsWith("Invalid resilience configuration: 5 properties are wrong.")
                  .contains("Property: resilience.breaker.burst\n")
                  .contains("Property: resilience.breaker.fail-treshold\n")
                  .contains("Property: resilience.breaker.record-exceptions[0]\n")
                  .contains("Property: resilience.breaker.weights.tiemout\n")
                  .contains("Property: resilience.rate-limiter.capacity-per-second\n");
            });
  }

  @Test
  void whenTheDocumentedYamlIsUsedAsItIsThenStartUpSucceeds() {
    runner
        .withInitializer(context -> yaml(context.getEnvironment(), "documented-configuration.yml"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.circuitBreaker("exchange").config().failThreshold()).isEqualTo(3);
              assertThat(registry.circuitBreaker("exchange").config().failureRateThreshold())
                  .isNull();
              assertThat(registry.rateLimiter("place_order").config().burst()).isEqualTo(10);
            });
  }

  @Test
  void whenMistakesAreMadeInYamlThenEachIsReportedWithItsFileAndLine() {
    runner
        .withInitializer(context -> yaml(context.getEnvironment(), "mistaken-configuration.yml"))
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      """
              Invalid resilience configuration: 4 properties are wrong.

                  Property: resilience.breaker.fail-treshold
                  Value: "3"
                  Origin: class path resource [mistaken-configuration.yml] - 3:20
                  Reason: unknown property; did you mean resilience.breaker.fail-threshold?

                  Property: resilience.rate-limiter.endpoint-overrides.place_order.brust
                  Value: "4"
                  Origin: class path resource [mistaken-configuration.yml] - 10:16
                  Reason: unknown property; did you mean resilience.rate-limiter.endpoint-overrides.place_order.burst?

                  Property: resilience.breaker.cooldown
                  Value: "-10s"
                  Origin: class path resource [mistaken-configuration.yml] - 4:15
                  Reason: must be a positive duration

                  Property: resilience.breaker.weights.tiemout
                  Value: "2.0"
                  Origin: class path resource [mistaken-configuration.yml] - 6:16
                  Reason: unknown failure code 'tiemout'; did you mean timeout?
              """);
            });
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class})
  static class Application {}

  @Test
  void whenAnApplicationStartsWithAnUnknownKeyThenSpringBootPrintsOurAnalysis(
      CapturedOutput output) {
    SpringApplication application = new SpringApplication(Application.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setDefaultProperties(Map.of("resilience.breaker.fail-treshold", "3"));
    assertThatException().isThrownBy(application::run);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("Reason: unknown property; did you mean resilience.breaker.fail-threshold?")
        .contains(
            "- resilience.breaker.fail-treshold: rename it to resilience.breaker.fail-threshold");
  }

  private static void yaml(ConfigurableEnvironment environment, String resource) {
    try {
      new YamlPropertySourceLoader()
          .load(resource, new ClassPathResource(resource))
          .forEach(source -> environment.getPropertySources().addFirst(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void environmentVariables(
      ConfigurableEnvironment environment, Map<String, Object> variables) {
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
  }
}
