package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LimitTest {

  @ParameterizedTest(name = "{0} per {1}: {2} ns")
  @CsvSource({
    "1000, PT1H, 3600000000",
    "7, PT1H, 514285714286", // 514285714285.71...: rounded up
    "5, PT1S, 200000000",
    "3, PT1S, 333333334",
    "1, PT0.000000001S, 1",
    "10, PT0.000000001S, 1", // less than a nanosecond per token: one nanosecond
    "1, P365D, 31536000000000000",
    "86400, P1D, 1000000000",
    "2147483647, PT1S, 1"
  })
  void theIntervalIsTheWindowOverTheQuotaRoundedUpExactly(
      int quota, Duration window, long interval) {
    Limit limit = Limit.of(quota, window);

    assertThat(limit.intervalNanos()).isEqualTo(interval);
    assertThat(limit.quota()).isEqualTo(quota);
    assertThat(limit.window()).isEqualTo(window);
    assertThat(limit.toleranceNanos()).isEqualTo((quota - 1) * interval);
    BigInteger windowNanos = BigInteger.valueOf(window.toNanos());
    assertThat(BigInteger.valueOf(interval).multiply(BigInteger.valueOf(quota)))
        .as("never more than quota per window")
        .isGreaterThanOrEqualTo(windowNanos)
        .isLessThan(windowNanos.add(BigInteger.valueOf(quota)));
  }

  @ParameterizedTest(name = "{0}/s, burst {1}")
  @CsvSource({"0.3, 1", "0.333333333333333333, 7", "1000, 50", "123.4, 3", "333333.3333333, 30"})
  void aLimitMadeFromATokenBucketConfigHasTheConfigsInterval(double rate, int burst) {
    RateLimiterConfig config = new RateLimiterConfig(rate, burst, Duration.ofSeconds(1));

    Limit limit = Limit.of(config);

    assertThat(limit.intervalNanos()).isEqualTo(config.intervalNanos());
    assertThat(limit.quota()).isEqualTo(burst);
    assertThat(limit.window()).isEqualTo(config.refillTime());
  }

  @ParameterizedTest(name = "quota {0}")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void rejectsAQuotaBelowOneNamingIt(int quota) {
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limit.of(quota, Duration.ofSeconds(1)))
        .withMessage("quota must be at least 1, but was " + quota)
        .satisfies(e -> assertThat(e.field()).isEqualTo("quota"));
  }

  @Test
  void rejectsAWindowThatIsNotPositiveNamingIt() {
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limit.of(5, Duration.ZERO))
        .withMessage("window must be a positive duration, but was PT0S");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limit.of(5, Duration.ofSeconds(-1)))
        .withMessage("window must be a positive duration, but was PT-1S");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limit.of(5, null))
        .withMessage("window must be a positive duration, but was null");
  }

  @Test
  void rejectsAWindowBeyondTheClocksRangeNamingIt() {
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limit.of(1, Duration.ofDays(365L * 100)))
        .withMessage(
            "window must be at most about 60 years (the clock's range), but was PT876000H");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limit.of(2, Duration.ofSeconds(Long.MAX_VALUE)))
        .satisfies(e -> assertThat(e.field()).isEqualTo("window"));
  }

  @Test
  void limitsAreEqualByQuotaAndWindow() {
    assertThat(Limit.of(5, Duration.ofSeconds(1)))
        .isEqualTo(Limit.of(5, Duration.ofMillis(1000)))
        .hasSameHashCodeAs(Limit.of(5, Duration.ofMillis(1000)))
        .isNotEqualTo(Limit.of(5, Duration.ofSeconds(2)))
        .isNotEqualTo(Limit.of(4, Duration.ofSeconds(1)))
        .hasToString("{quota: 5, window: PT1S}");
  }

  @Test
  void limitsHoldOneToEightLimitsInOrder() {
    Limit second = Limit.of(5, Duration.ofSeconds(1));
    Limit hour = Limit.of(1000, Duration.ofHours(1));

    Limits limits = Limits.of(second, hour);

    assertThat(limits.size()).isEqualTo(2);
    assertThat(limits.list()).containsExactly(second, hour);
    assertThat(limits.get(1)).isSameAs(hour);
    assertThat(limits.interval(1)).isEqualTo(3_600_000_000L);
    assertThat(limits.tolerance(1)).isEqualTo(999 * 3_600_000_000L);
    assertThat(limits)
        .isEqualTo(Limits.of(List.of(second, hour)))
        .isNotEqualTo(Limits.of(hour, second));
    assertThat(Limits.of(Collections.nCopies(Limits.MAX_LIMITS, second)).size()).isEqualTo(8);
  }

  @Test
  void rejectsNoLimitOrMoreThanEightNamingTheCount() {
    Limit second = Limit.of(5, Duration.ofSeconds(1));

    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(Limits::of)
        .withMessage("limits must be 1 to 8 limits, but was 0");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limits.of(List.of()))
        .withMessage("limits must be 1 to 8 limits, but was 0");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Limits.of(Collections.nCopies(9, second)))
        .withMessage("limits must be 1 to 8 limits, but was 9");
  }

  @Test
  void stampsTellLimitsOfOtherShapesApartAndEqualLimitsAlike() {
    Limits free = Limits.of(Limit.of(5, Duration.ofSeconds(1)));
    Limits pro = Limits.of(Limit.of(50, Duration.ofSeconds(1)));
    Limits sameInterval = Limits.of(Limit.of(10, Duration.ofSeconds(2))); // 200 ms, burst 10

    assertThat(free.stamp())
        .isEqualTo(Limits.of(Limit.of(5, Duration.ofMillis(1000))).stamp())
        .isNotEqualTo(pro.stamp())
        .isNotEqualTo(sameInterval.stamp())
        .isNotEqualTo(Limits.of(free.get(0), free.get(0)).stamp());
  }
}
