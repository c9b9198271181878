package dev.resilience.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Guard;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code /actuator/prometheus} shows of limits per key: one gauge of live keys and one
 * eviction counter per keyed endpoint and inbound rule, tagged by name, and never a key.
 */
class KeyedMetricsPrometheusTest {

  /** The ticker stands still: a key's tokens never come back during a test. */
  private final ResilienceRegistry registry =
      ResilienceRegistry.builder().ticker(() -> 5_000_000_000L).maxKeys(2).build();

  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void keyedEndpointsAndRulesHaveKeyAndEvictionSeriesByNameAndNoAvailableTokensGauge() {
    Guard placeOrder = registry.keyedGuard("place_order", "exchange", false);
    registry.guard("cancel_order", "exchange", false);
    new ResilienceMetrics(registry).bindTo(prometheus);
    // a rule created after binding gets its series too
    KeyedRateLimiter orders =
        registry.keyedRateLimiter("orders", Limits.of(Limit.of(5, Duration.ofSeconds(1))));

    placeOrder.admit("account-7f3a").succeeded();
    orders.tryAcquire("api-key-9c2e");
    List<String> lines = prometheus.scrape().lines().toList();

    assertThat(lines)
        .contains(
            "# TYPE resilience_rate_limit_keys gauge",
            "resilience_rate_limit_keys{name=\"place_order\"} 1.0",
            "resilience_rate_limit_keys{name=\"orders\"} 1.0",
            "# TYPE resilience_rate_limit_key_evictions_total counter",
            "resilience_rate_limit_key_evictions_total{name=\"place_order\"} 0.0",
            "resilience_rate_limit_key_evictions_total{name=\"orders\"} 0.0",
            "resilience_calls_total{endpoint=\"place_order\",outcome=\"success\"} 1.0",
            "resilience_rate_limit_available_tokens{endpoint=\"cancel_order\"} 16.0");
    assertThat(lines)
        .as("a keyed endpoint has no one bucket to show")
        .noneMatch(
            line ->
                line.startsWith("resilience_rate_limit_available_tokens{endpoint=\"place_order\""));
    assertThat(lines)
        .as("the keys of a non-keyed endpoint are not counted")
        .noneMatch(line -> line.contains("name=\"cancel_order\""));
    assertThat(String.join("\n", lines)).doesNotContain("7f3a").doesNotContain("9c2e");
  }

  @Test
  void whenBusyKeysAreEvictedToStayWithinMaxKeysThenTheCounterShowsHowMany() {
    Guard placeOrder = registry.keyedGuard("place_order", "exchange", false);
    new ResilienceMetrics(registry).bindTo(prometheus);
    KeyedRateLimiter keys = placeOrder.keyedRateLimiter();

    // max-keys 2: every key here has taken all of its 16 tokens, so none is full and free to drop
    for (String account : List.of("account-a", "account-b", "account-c", "account-d")) {
      for (int i = 0; i < 16; i++) {
        placeOrder.admit(account).succeeded();
      }
      try {
        placeOrder.admit(account);
      } catch (RateLimitedException expected) {
        // the bucket is empty: the key is busy
      }
    }
    String scrape = prometheus.scrape();

    assertThat(keys.evictions()).isPositive();
    assertThat(scrape)
        .contains(
            "resilience_rate_limit_key_evictions_total{name=\"place_order\"} "
                + (double) keys.evictions()
                + "\n")
        .contains(
            "resilience_rate_limit_keys{name=\"place_order\"} " + (double) keys.liveKeys() + "\n")
        .doesNotContain("account-");
    assertThat(keys.liveKeys()).isLessThanOrEqualTo(2);
  }
}
