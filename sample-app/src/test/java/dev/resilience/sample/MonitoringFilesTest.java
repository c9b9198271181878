package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shipped dashboard and alert rules parse, and query only metrics the app really exposes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MonitoringFilesTest {

  private static final Pattern METRIC = Pattern.compile("\\b(resilience_[a-z_]+)");
  private static final Path MONITORING = Path.of("monitoring");

  @LocalServerPort int port;

  /** Series names in the scrape, with the _bucket/_count/_sum series of histograms. */
  private Set<String> exposed() {
    String scrape =
        RestClient.create("http://localhost:" + port)
            .get()
            .uri("/actuator/prometheus")
            .retrieve()
            .body(String.class);
    Set<String> names = new HashSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static List<String> metricsIn(String expression) {
    List<String> found = new ArrayList<>();
    Matcher matcher = METRIC.matcher(expression);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  @Test
  void everyDashboardQueryUsesOnlyExposedMetrics() throws Exception {
    JsonNode dashboard =
        JsonMapper.builder()
            .build()
            .readTree(Files.readString(MONITORING.resolve("grafana/dashboards/resilience.json")));
    Set<String> exposed = exposed();
    List<String> used = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        used.addAll(metricsIn(target.get("expr").asString()));
      }
    }
    assertThat(used)
        .as("the dashboard shows state, outcomes, failures, hits, p95 wait, tokens and keys")
        .contains(
            "resilience_breaker_state",
            "resilience_calls_total",
            "resilience_failures_total",
            "resilience_rate_limit_hits_total",
            "resilience_rate_limit_wait_seconds_bucket",
            "resilience_rate_limit_available_tokens",
            "resilience_inbound_requests_total",
            "resilience_rate_limit_keys",
            "resilience_rate_limit_key_evictions_total");
    assertThat(exposed).containsAll(used);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertRuleParsesAndUsesOnlyExposedMetrics() throws Exception {
    Map<String, Object> rules =
        new Yaml().load(Files.readString(MONITORING.resolve("prometheus/alert-rules.yml")));
    Set<String> exposed = exposed();
    List<String> alerts = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        alerts.add((String) rule.get("alert"));
        List<String> used = metricsIn((String) rule.get("expr"));
        assertThat(used).as(rule.get("alert") + " queries a resilience metric").isNotEmpty();
        assertThat(exposed).as(rule.get("alert") + " uses exposed metrics").containsAll(used);
      }
    }
    assertThat(alerts)
        .containsExactly(
            "CircuitBreakerOpen",
            "RateLimitHitsSustained",
            "RateLimitWaitP95High",
            "RateLimitKeysEvicted");
  }
}
