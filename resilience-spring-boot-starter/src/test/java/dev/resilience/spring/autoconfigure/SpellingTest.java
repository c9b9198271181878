package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * "Did you mean" finds the intended key for the typos people make, and nothing for unrelated words.
 */
class SpellingTest {

  private static final List<String> LIMITER_KEYS =
      List.of("capacity-per-second", "burst", "max-wait", "endpoint-overrides");
  private static final List<String> BREAKER_KEYS =
      List.of(
          "window",
          "fail-threshold",
          "cooldown",
          "min-dwell",
          "probe-count",
          "failure-rate-threshold",
          "minimum-calls");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        "brust, burst",
        "burts, burst",
        "maxWait, max-wait",
        "capacity-per-secnd, capacity-per-second",
        "endpoint-override, endpoint-overrides",
        "colour, none",
        "bust, burst",
        "b, none",
      })
  void whenAKeyIsMistypedThenTheClosestLimiterKeyIsSuggested(String typed, String expected) {
    assertThat(Spelling.closest(typed, LIMITER_KEYS, Spelling.RELAXED)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        "fail-treshold, fail-threshold",
        "failTreshold, fail-threshold",
        "FAILTRESHOLD, fail-threshold",
        "cooldwn, cooldown",
        "windw, window",
        "min-dwel, min-dwell",
        "probe-cnt, probe-count",
        "probes, none",
        "threshold, none",
      })
  void whenAKeyIsMistypedThenTheClosestBreakerKeyIsSuggested(String typed, String expected) {
    assertThat(Spelling.closest(typed, BREAKER_KEYS, Spelling.RELAXED)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} / {1} = {2}")
  @CsvSource({
    "burst, burst, 0",
    "brust, burst, 1",
    "burst, bust, 1",
    "burst, bursts, 1",
    "timeout, tiemout, 1",
    "abc, xyz, 3"
  })
  void theDistanceCountsEditsAndSwappedNeighboursAsOneStep(String a, String b, int distance) {
    assertThat(Spelling.distance(a, b)).isEqualTo(distance);
    assertThat(Spelling.distance(b, a)).isEqualTo(distance);
  }
}
