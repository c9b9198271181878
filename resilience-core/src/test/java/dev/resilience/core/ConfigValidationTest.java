package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("capacityPerSecond", "0.0", () -> new RateLimiterConfig(0, 1, Duration.ZERO)),
        bad("capacityPerSecond", "-2.0", () -> new RateLimiterConfig(-2, 1, Duration.ZERO)),
        bad("capacityPerSecond", "NaN", () -> new RateLimiterConfig(Double.NaN, 1, Duration.ZERO)),
        bad("capacityPerSecond", "2.0E9", () -> new RateLimiterConfig(2e9, 1, Duration.ZERO)),
        bad("capacityPerSecond", "1.0E-300", () -> new RateLimiterConfig(1e-300, 1, Duration.ZERO)),
        bad("burst", "0", () -> new RateLimiterConfig(1, 0, Duration.ZERO)),
        bad("burst", "2000000000", () -> new RateLimiterConfig(1e-3, 2_000_000_000, Duration.ZERO)),
        bad("maxWait", "PT-1S", () -> new RateLimiterConfig(1, 1, Duration.ofSeconds(-1))),
        bad("window", "PT0S", () -> CircuitBreakerConfig.builder().window(Duration.ZERO).build()),
        bad(
            "window",
            "PT0.0000005S",
            () -> CircuitBreakerConfig.builder().window(Duration.ofNanos(500)).build()),
        bad("failThreshold", "0", () -> CircuitBreakerConfig.builder().failThreshold(0).build()),
        bad(
            "cooldown",
            "PT0S",
            () -> CircuitBreakerConfig.builder().cooldown(Duration.ZERO).build()),
        bad(
            "minDwell",
            "PT-0.001S",
            () -> CircuitBreakerConfig.builder().minDwell(Duration.ofMillis(-1)).build()),
        bad("probeCount", "0", () -> CircuitBreakerConfig.builder().probeCount(0).build()),
        bad(
            "failureRateThreshold",
            "0.0",
            () -> CircuitBreakerConfig.builder().failureRateThreshold(0.0).build()),
        bad(
            "failureRateThreshold",
            "100.5",
            () -> CircuitBreakerConfig.builder().failureRateThreshold(100.5).build()),
        bad("minimumCalls", "0", () -> CircuitBreakerConfig.builder().minimumCalls(0).build()),
        bad(
            "slowCallDuration",
            "PT0S",
            () -> CircuitBreakerConfig.builder().slowCallDuration(Duration.ZERO).build()),
        bad(
            "weights.timeout",
            "-1.0",
            () -> CircuitBreakerConfig.builder().weight("timeout", -1).build()),
        bad("weights", "\" \"", () -> CircuitBreakerConfig.builder().weight(" ", 1).build()),
        bad(
            "name",
            "\"place order\"",
            () ->
                RateLimiter.tokenBucket(
                    "place order", RateLimiterConfig.defaults(), Ticker.system())),
        bad("breaker", "\"\"", () -> ResilienceRegistry.builder().build().circuitBreaker("")),
        bad(
            "breaker",
            "\"" + "x".repeat(65) + "\"",
            () -> ResilienceRegistry.builder().build().circuitBreaker("x".repeat(65))));
  }

  private static Arguments bad(String field, String value, Supplier<Object> build) {
    return Arguments.of(field, value, build);
  }

  @ParameterizedTest(name = "{0} = {1} is rejected")
  @MethodSource("badValues")
  void aBadValueFailsInTheConstructorNamingFieldValueAndRule(
      String field, String value, Supplier<Object> build) {
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(build::get)
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.value()).isEqualTo(value);
              assertThat(e.allowed()).isNotBlank();
              assertThat(e.getMessage())
                  .isEqualTo(field + " must be " + e.allowed() + ", but was " + value);
            });
  }

  @Test
  void percentRuleReadsAsPlainNumbers() {
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(150.0).build())
        .withMessage("failureRateThreshold must be greater than 0 and at most 100, but was 150.0");
  }

  @Test
  void defaultsMatchTheDocumentedValues() {
    CircuitBreakerConfig breaker = CircuitBreakerConfig.defaults();
    assertThat(breaker.window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(breaker.failThreshold()).isEqualTo(10);
    assertThat(breaker.cooldown()).isEqualTo(Duration.ofSeconds(30));
    assertThat(breaker.minDwell()).isEqualTo(Duration.ofSeconds(30));
    assertThat(breaker.probeCount()).isEqualTo(1);
    assertThat(breaker.failureRateThreshold()).isNull();
    assertThat(breaker.minimumCalls()).isEqualTo(20);
    assertThat(breaker.slowCallDuration()).isNull();
    assertThat(breaker.weight("503")).isEqualTo(1.0);

    assertThat(RateLimiterConfig.defaults())
        .isEqualTo(new RateLimiterConfig(8, 16, Duration.ofSeconds(1)));
  }

  @Test
  void toBuilderDerivesAnOverrideThatKeepsTheOtherValues() {
    CircuitBreakerConfig base =
        CircuitBreakerConfig.builder()
            .failThreshold(3)
            .weight("timeout", 2)
            .slowCallDuration(Duration.ofSeconds(2))
            .build();

    CircuitBreakerConfig derived = base.toBuilder().cooldown(Duration.ofSeconds(10)).build();

    assertThat(derived.cooldown()).isEqualTo(Duration.ofSeconds(10));
    assertThat(derived.failThreshold()).isEqualTo(3);
    assertThat(derived.weight("timeout")).isEqualTo(2.0);
    assertThat(derived.slowCallDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(derived.toBuilder().build()).isEqualTo(derived).hasSameHashCodeAs(derived);
  }

  @Test
  void theSmallestAllowedValuesAreAccepted() {
    assertThat(CircuitBreakerConfig.builder().window(Duration.ofMillis(1)).build().window())
        .isEqualTo(Duration.ofMillis(1));
    assertThat(
            new RateLimiterConfig(RateLimiterConfig.MIN_RATE, 1, Duration.ZERO).capacityPerSecond())
        .isEqualTo(RateLimiterConfig.MIN_RATE);
  }

  @Test
  void theLargestBurstIsTheOneThatRefillsInExactlyTwoToTheSixtyFirstNanoseconds() {
    double rate = 1e9 / (1L << 31); // exactly one token every 2^31 ns
    int largest = 1 << 30;

    RateLimiterConfig config = new RateLimiterConfig(rate, largest, Duration.ZERO);

    assertThat(config.intervalNanos()).isEqualTo(1L << 31);
    assertThat(config.refillTime()).isEqualTo(Duration.ofNanos(1L << 61));
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> new RateLimiterConfig(rate, largest + 1, Duration.ZERO))
        .satisfies(e -> assertThat(e.field()).isEqualTo("burst"));
  }

  @Test
  void aBucketRefillsFromEmptyInBurstIntervals() {
    assertThat(new RateLimiterConfig(10, 5, Duration.ZERO).refillTime())
        .isEqualTo(Duration.ofMillis(500));
    assertThat(new RateLimiterConfig(3, 2, Duration.ZERO).refillTime())
        .as("each interval rounded up to the nanosecond")
        .isEqualTo(Duration.ofNanos(2 * 333_333_334L));
  }

  @Test
  void breakerConfigsAreEqualOnlyWhenEveryValueIsAndThenHashAlike() {
    CircuitBreakerConfig base = CircuitBreakerConfig.builder().weight("timeout", 2).build();

    assertThat(base)
        .isEqualTo(base.toBuilder().build())
        .hasSameHashCodeAs(base.toBuilder().build());
    assertThat(base).isNotEqualTo(null).isNotEqualTo("a config");
    for (CircuitBreakerConfig other :
        List.of(
            base.toBuilder().window(Duration.ofSeconds(61)).build(),
            base.toBuilder().failThreshold(11).build(),
            base.toBuilder().cooldown(Duration.ofSeconds(31)).build(),
            base.toBuilder().minDwell(Duration.ofSeconds(31)).build(),
            base.toBuilder().probeCount(2).build(),
            base.toBuilder().failureRateThreshold(50.0).build(),
            base.toBuilder().minimumCalls(21).build(),
            base.toBuilder().slowCallDuration(Duration.ofSeconds(1)).build(),
            base.toBuilder().weight("timeout", 3).build())) {
      assertThat(other).isNotEqualTo(base);
      assertThat(other.hashCode()).as("hash of %s", other).isNotEqualTo(base.hashCode());
    }
  }

  @Test
  void aBreakerConfigListsOnlyTheWeightsThatWereSetAndPrintsEveryValue() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().weight("timeout", 2).weight("429", 0.5).build();

    assertThat(config.weights()).isEqualTo(Map.of("timeout", 2.0, "429", 0.5));
    assertThat(config.weight("503")).isEqualTo(1.0);
    assertThat(CircuitBreakerConfig.defaults().weights()).isEmpty();
    assertThat(config)
        .hasToString(
            "CircuitBreakerConfig{window=PT1M, failThreshold=10, cooldown=PT30S, minDwell=PT30S, probeCount=1,"
                + " failureRateThreshold=null, minimumCalls=20, slowCallDuration=null, weights={429=0.5, timeout=2.0}}");
  }
}
