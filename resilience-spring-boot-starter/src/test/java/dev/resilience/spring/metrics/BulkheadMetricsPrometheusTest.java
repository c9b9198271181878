package dev.resilience.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.BulkheadConfig;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a scrape shows of bulkheads: calls in flight, and the calls a full one turned away. */
class BulkheadMetricsPrometheusTest {

  @Test
  void anEndpointWithABulkheadHasAnInFlightGaugeAndCountsItsRejections() {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .bulkheadOverride("quotes", new BulkheadConfig(1, Duration.ZERO))
            .build();
    Guard quotes = registry.guard("quotes", "exchange", false);
    registry.guard("place_order", "exchange", false);
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ResilienceMetrics(registry).bindTo(prometheus);

    GuardedCall inFlight = quotes.admit();
    assertThatExceptionOfType(BulkheadFullException.class).isThrownBy(quotes::admit);
    List<String> lines = prometheus.scrape().lines().toList();
    inFlight.succeeded();

    assertThat(lines)
        .contains(
            "resilience_bulkhead_in_flight{endpoint=\"quotes\"} 1.0",
            "resilience_calls_total{endpoint=\"quotes\",outcome=\"rejected_bulkhead\"} 1.0",
            "resilience_calls_total{endpoint=\"quotes\",outcome=\"rejected_rate_limit\"} 0.0");
    assertThat(lines)
        .as("an endpoint without a bulkhead has neither series")
        .noneMatch(line -> line.contains("place_order") && line.contains("bulkhead"));
    assertThat(prometheus.scrape())
        .contains("resilience_bulkhead_in_flight{endpoint=\"quotes\"} 0.0");
  }
}
