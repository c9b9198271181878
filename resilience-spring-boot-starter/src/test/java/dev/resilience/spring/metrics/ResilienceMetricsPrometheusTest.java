package dev.resilience.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code /actuator/prometheus} shows: the names, types, tags and buckets of SPEC section 7.
 */
class ResilienceMetricsPrometheusTest {

  private static final Pattern WAIT_BUCKET =
      Pattern.compile(
          "^resilience_rate_limit_wait_seconds_bucket\\{endpoint=\"place_order\",le=\"([^\"]+)\"} (\\d+)$");

  /** The ticker stands still, so waits are exact: the bucket refills one token per millisecond. */
  private final ResilienceRegistry registry =
      ResilienceRegistry.builder()
          .ticker(() -> 5_000_000_000L)
          .rateLimiterOverride("place_order", new RateLimiterConfig(1000, 2, Duration.ofSeconds(1)))
          .build();

  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Guard placeOrder;

  @BeforeEach
  void bind() {
    placeOrder = registry.guard("place_order", "exchange", false);
    registry.guard("cancel_order", "exchange", false);
    new ResilienceMetrics(registry).bindTo(prometheus);
  }

  @Test
  void everySeriesOfTheSpecIsScrapedWithItsTypeBeforeAnyCall() {
    List<String> lines = prometheus.scrape().lines().toList();

    assertThat(lines)
        .contains(
            "# TYPE resilience_breaker_state gauge",
            "resilience_breaker_state{breaker=\"exchange\"} 0.0",
            "# TYPE resilience_breaker_transitions_total counter",
            "resilience_breaker_transitions_total{breaker=\"exchange\",from=\"CLOSED\",to=\"OPEN\"} 0.0",
            "resilience_breaker_transitions_total{breaker=\"exchange\",from=\"OPEN\",to=\"HALF_OPEN\"} 0.0",
            "resilience_breaker_transitions_total{breaker=\"exchange\",from=\"HALF_OPEN\",to=\"CLOSED\"} 0.0",
            "resilience_breaker_transitions_total{breaker=\"exchange\",from=\"HALF_OPEN\",to=\"OPEN\"} 0.0",
            "resilience_breaker_transitions_total{breaker=\"exchange\",from=\"OPEN\",to=\"CLOSED\"} 0.0",
            "# TYPE resilience_calls_total counter",
            "# TYPE resilience_failures_total counter",
            "# TYPE resilience_rate_limit_hits_total counter",
            "resilience_rate_limit_hits_total{endpoint=\"place_order\"} 0.0",
            "resilience_rate_limit_hits_total{endpoint=\"cancel_order\"} 0.0",
            "# TYPE resilience_rate_limit_wait_seconds histogram",
            "resilience_rate_limit_wait_seconds_count{endpoint=\"place_order\"} 0",
            "resilience_rate_limit_wait_seconds_sum{endpoint=\"place_order\"} 0.0",
            "resilience_rate_limit_wait_seconds_count{endpoint=\"cancel_order\"} 0",
            "# TYPE resilience_rate_limit_available_tokens gauge",
            "resilience_rate_limit_available_tokens{endpoint=\"place_order\"} 2.0",
            "resilience_rate_limit_available_tokens{endpoint=\"cancel_order\"} 16.0",
            "# TYPE resilience_rate_limit_downstream_pauses_total counter",
            "resilience_rate_limit_downstream_pauses_total{endpoint=\"place_order\"} 0.0",
            "resilience_rate_limit_downstream_pauses_total{endpoint=\"cancel_order\"} 0.0");
    for (String endpoint : List.of("place_order", "cancel_order")) {
      for (String outcome :
          List.of(
              "success", "failure", "ignored_error", "rejected_breaker", "rejected_rate_limit")) {
        assertThat(lines)
            .contains(
                "resilience_calls_total{endpoint=\""
                    + endpoint
                    + "\",outcome=\""
                    + outcome
                    + "\"} 0.0");
      }
      for (String code : List.of("429", "500", "502", "503", "504", "timeout", "network", "slow")) {
        assertThat(lines)
            .contains(
                "resilience_failures_total{code=\""
                    + code
                    + "\",endpoint=\""
                    + endpoint
                    + "\"} 0.0");
      }
    }
    assertThat(
            lines.stream().filter(line -> line.startsWith("resilience_breaker_transitions_total{")))
        .as("no series for CLOSED to HALF_OPEN, which never happens")
        .hasSize(5);
    assertThat(lines.stream().filter(line -> line.startsWith("resilience_breaker_state{")))
        .as("one gauge for the breaker both endpoints share")
        .hasSize(1);
  }

  @Test
  void waitHistogramHasBucketsExactlyAtTheSpecBoundaries() {
    List<String> boundaries =
        prometheus
            .scrape()
            .lines()
            .map(WAIT_BUCKET::matcher)
            .filter(Matcher::matches)
            .map(matcher -> matcher.group(1))
            .toList();

    assertThat(boundaries)
        .containsExactly(
            "0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
            "+Inf");
  }

  @Test
  void waitedCallsAreScrapedInTheirBuckets() throws Exception {
    // burst 2: two calls pass at once, the 3rd waits 1 ms and the 4th 2 ms (the ticker stands
    // still)
    for (int i = 0; i < 4; i++) {
      placeOrder.call(() -> "placed", FailureClassifier.jdk());
    }
    String scrape = prometheus.scrape();

    assertThat(
            scrape
                .lines()
                .map(WAIT_BUCKET::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1) + "=" + m.group(2)))
        .startsWith("0.001=1", "0.005=2")
        .endsWith("5.0=2", "+Inf=2");
    assertThat(scrape)
        .contains("resilience_rate_limit_wait_seconds_count{endpoint=\"place_order\"} 2\n")
        .contains("resilience_rate_limit_wait_seconds_sum{endpoint=\"place_order\"} 0.003\n")
        .contains("resilience_rate_limit_hits_total{endpoint=\"place_order\"} 2.0\n")
        .contains("resilience_calls_total{endpoint=\"place_order\",outcome=\"success\"} 4.0\n")
        .contains("resilience_rate_limit_available_tokens{endpoint=\"place_order\"} 0.0\n");
  }
}
