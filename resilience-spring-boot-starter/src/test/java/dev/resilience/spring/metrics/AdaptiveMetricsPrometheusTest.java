package dev.resilience.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a scrape shows of adaptive limits: the limit in force, the calls in flight, the short and
 * long round-trip times, and the calls a reached limit turned away; nothing for other endpoints.
 */
class AdaptiveMetricsPrometheusTest {

  @Test
  void whenAnEndpointHasAnAdaptiveLimitThenAScrapeShowsItsLimitInFlightAndRoundTripTimes() {
    TestTicker ticker = new TestTicker();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .adaptiveLimitOverride("quotes", AdaptiveLimitConfig.defaults().withLimits(1, 10, 2))
            .build();
    Guard quotes = registry.guard("quotes", "exchange", false);
    registry.guard("place_order", "exchange", false);
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ResilienceMetrics(registry).bindTo(prometheus);

    GuardedCall first = quotes.admit();
    GuardedCall second = quotes.admit();
    assertThatExceptionOfType(BulkheadFullException.class).isThrownBy(quotes::admit);
    List<String> full = prometheus.scrape().lines().toList();
    ticker.advance(Duration.ofMillis(250));
    first.succeeded();
    second.succeeded();
    List<String> after = prometheus.scrape().lines().toList();

    assertThat(full)
        .contains(
            "resilience_adaptive_limit{name=\"quotes\"} 2.0",
            "resilience_adaptive_in_flight{name=\"quotes\"} 2.0",
            "resilience_adaptive_rtt_seconds{name=\"quotes\",window=\"short\"} 0.0",
            "resilience_adaptive_rtt_seconds{name=\"quotes\",window=\"long\"} 0.0",
            "resilience_calls_total{endpoint=\"quotes\",outcome=\"rejected_bulkhead\"} 1.0",
            "resilience_calls_total{endpoint=\"quotes\",outcome=\"rejected_rate_limit\"} 0.0");
    assertThat(after)
        .contains(
            "resilience_adaptive_limit{name=\"quotes\"} 3.0",
            "resilience_adaptive_in_flight{name=\"quotes\"} 0.0",
            "resilience_adaptive_rtt_seconds{name=\"quotes\",window=\"short\"} 0.25",
            "resilience_adaptive_rtt_seconds{name=\"quotes\",window=\"long\"} 0.25");
    assertThat(after)
        .as("an endpoint without an adaptive limit has no such series")
        .noneMatch(line -> line.contains("place_order") && line.contains("adaptive"))
        .noneMatch(line -> line.contains("place_order") && line.contains("rejected_bulkhead"));
  }
}
