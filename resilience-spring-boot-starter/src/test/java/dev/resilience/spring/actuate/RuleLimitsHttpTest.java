package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.BasicAuthSecurity;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.inbound.TierResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An inbound rule's limits changed and restored by an operator over real HTTP: the rule admits by
 * the limits in force, its headers and 429 answers show them, every refusal names the field, and a
 * key reset is audited without the key. The windows are an hour and a day, so that nothing refills
 * while a test runs; each test uses its own keys.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
    classes = {RuleLimitsHttpTest.RuledApplication.class, BasicAuthSecurity.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=resilience",
      "management.endpoint.resilience.access=unrestricted",
      "resilience.inbound.rules.orders.paths=/orders/**",
      "resilience.inbound.rules.orders.key=header:X-Api-Key",
      "resilience.inbound.rules.orders.limits[0].quota=2",
      "resilience.inbound.rules.orders.limits[0].window=1h",
      "resilience.inbound.rules.orders.limits[1].quota=100",
      "resilience.inbound.rules.orders.limits[1].window=1d",
      "resilience.inbound.rules.orders.tiers.pro[0].quota=3",
      "resilience.inbound.rules.orders.tiers.pro[0].window=1h",
    })
class RuleLimitsHttpTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(RuledApplication.Orders.class)
  static class RuledApplication {

    @Bean
    TierResolver tiers() {
      return (rule, key) -> key.startsWith("pro-") ? "pro" : null;
    }

    @RestController
    static class Orders {
      @PostMapping("/orders/**")
      String order() {
        return "ok";
      }
    }
  }

  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }
  }

  private static final String CONFIGURED_POLICY =
      "\"orders\";q=2;w=3600, \"orders/1d\";q=100;w=86400";
  private static final String CHANGED_POLICY = "\"orders\";q=5;w=3600, \"orders/1d\";q=50;w=86400";

  @LocalServerPort int port;

  @Autowired InboundRuleLimits rules;

  @Autowired MeterRegistry meters;

  private RestClient http;

  @BeforeEach
  void setUp() {
    http = RestClient.create("http://localhost:" + port);
    rules.change("orders", rules.configured("orders"));
  }

  private Answer send(
      HttpMethod method, String path, @Nullable String json, @Nullable String user) {
    return http.method(method)
        .uri(path)
        .headers(
            headers -> {
              if (user != null) {
                headers.setBasicAuth(user, "pw");
              }
            })
        .contentType(MediaType.APPLICATION_JSON)
        .body(json == null ? "" : json)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
  }

  private Answer post(String json) {
    return send(HttpMethod.POST, "/actuator/resilience/orders", json, null);
  }

  private Answer order(String key) {
    return http.post()
        .uri("/orders/1")
        .header("X-Api-Key", key)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
  }

  /** Sends orders with {@code key} until one is refused; returns how many were admitted. */
  private int admittedUntilRefused(String key) {
    for (int admitted = 0; admitted < 200; admitted++) {
      if (order(key).status() != 200) {
        return admitted;
      }
    }
    throw new AssertionError("never refused");
  }

  private double counted(String action) {
    return meters.get("resilience.operator.actions").tag("action", action).counter().count();
  }

  @Test
  void whenARuleIsLimitedThenItAdmitsByTheNewLimitsAndItsHeadersShowThem(CapturedOutput output) {
    assertThat(admittedUntilRefused("spent-before")).isEqualTo(2);
    double before = counted("limit");

    Answer answer =
        send(
            HttpMethod.POST,
            "/actuator/resilience/orders",
            "{\"action\":\"limit\",\"limits\":\"5/1h, 50/1d\"}",
            "alice");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("inboundRule").get("overridden").asBoolean()).isTrue();
    assertThat(answer.json().get("inboundRule").get("limits").toString())
        .isEqualTo("[{\"quota\":5,\"windowMs\":3600000},{\"quota\":50,\"windowMs\":86400000}]");
    // a key keeps its state: the one that spent its 2 tokens has none to start with
    Answer spent = order("spent-before");
    assertThat(spent.status()).isEqualTo(429);
    assertThat(spent.headers().getFirst("RateLimit-Policy")).isEqualTo(CHANGED_POLICY);
    assertThat(spent.json().get("violated-policies").toString()).isEqualTo("[\"orders\"]");
    // a new key gets the new quota, and its answers say so
    Answer first = order("fresh-after");
    assertThat(first.headers().getFirst("RateLimit-Policy")).isEqualTo(CHANGED_POLICY);
    assertThat(first.headers().getFirst("RateLimit"))
        .isEqualTo("\"orders\";r=4;t=0, \"orders/1d\";r=49;t=0");
    assertThat(admittedUntilRefused("fresh-after")).isEqualTo(4);
    // tiers keep their own limits
    assertThat(admittedUntilRefused("pro-1")).isEqualTo(3);
    assertThat(output)
        .contains(
            "Operator action limit: rule 'orders' limits 2/1h, 100/1d -> 5/1h, 50/1d (by 'alice')");
    assertThat(counted("limit")).isEqualTo(before + 1);
    JsonNode newest =
        http.get()
            .uri("/actuator/resilience/events")
            .retrieve()
            .body(JsonNode.class)
            .get("events")
            .get(0);
    assertThat(newest.get("kind").asString()).isEqualTo("limit");
    assertThat(newest.get("name").asString()).isEqualTo("orders");
    assertThat(
            http.get()
                .uri("/actuator/resilience/orders")
                .retrieve()
                .body(JsonNode.class)
                .get("inboundRule")
                .get("overridden")
                .asBoolean())
        .isTrue();
  }

  @Test
  void whenARuleIsRestoredThenTheConfiguredLimitsAndHeadersApplyAgain(CapturedOutput output) {
    rules.change("orders", rules.configured("orders"));
    assertThat(post("{\"action\":\"limit\",\"limits\":\"5/1h, 50/1d\"}").status()).isEqualTo(200);
    double before = counted("restore");

    Answer answer = post("{\"action\":\"restore\"}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("inboundRule").get("overridden").asBoolean()).isFalse();
    assertThat(answer.json().get("inboundRule").get("limits").toString())
        .isEqualTo("[{\"quota\":2,\"windowMs\":3600000},{\"quota\":100,\"windowMs\":86400000}]");
    assertThat(admittedUntilRefused("after-restore")).isEqualTo(2);
    assertThat(order("after-restore").headers().getFirst("RateLimit-Policy"))
        .isEqualTo(CONFIGURED_POLICY);
    assertThat(output)
        .contains(
            "Operator action restore: rule 'orders' limits 5/1h, 50/1d -> 2/1h, 100/1d (by an"
                + " unauthenticated caller)");
    assertThat(counted("restore")).isEqualTo(before + 1);
  }

  @Test
  void whenARulesLimitIsMissingOrInvalidThenTheAnswerIs400NamingTheField() {
    assertThat(post("{\"action\":\"limit\"}").json().get("message").asString())
        .startsWith("limits is missing: the body must be {\"action\": \"limit\", \"limits\":")
        .contains("1 to 8 limits");
    assertThat(post("{\"action\":\"limit\",\"limits\":\" \"}").json().get("message").asString())
        .startsWith("limits is empty: the body must be");
    assertThat(message("0/1s"))
        .isEqualTo("limits[0]: the quota must be a whole number of at least 1, not '0'");
    assertThat(message("5/1s, 1.5/1h"))
        .isEqualTo("limits[1]: the quota must be a whole number of at least 1, not '1.5'");
    assertThat(message("5/0"))
        .isEqualTo(
            "limits[0]: the window must be a whole number of milliseconds of at least 1, or of ms,"
                + " s, m, h or d (such as 1000, 1s or 1h), not '0'");
    assertThat(message("5/-1")).startsWith("limits[0]: the window must be");
    assertThat(message("5")).isEqualTo("limits[0] '5' is not <quota>/<window>, such as 10/1s");
    assertThat(message("5/1s, 6/1000"))
        .isEqualTo(
            "limits[1]: limits[0] has the same window: a policy is named after its window, so keep"
                + " one limit per window (the smaller quota is the one that holds)");
    assertThat(message("1/1s,2/2s,3/3s,4/4s,5/5s,6/6s,7/7s,8/8s,9/9s"))
        .startsWith("limits has 9 limits: a rule takes 1 to 8");
    Answer unknown = post("{\"action\":\"limit\",\"limits\":\"5/1s\",\"limts\":\"x\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("message").asString())
        .isEqualTo(
            "Unknown field 'limts': the fields allowed here are action, capacityPerSecond, burst,"
                + " limits");
    Answer endpointFields = post("{\"action\":\"limit\",\"capacityPerSecond\":2,\"burst\":4}");
    assertThat(endpointFields.status()).isEqualTo(400);
    assertThat(endpointFields.json().get("message").asString())
        .startsWith(
            "capacityPerSecond is for an endpoint's bucket: inbound rule 'orders' takes limits");
    assertThat(rules.inForce("orders")).isEqualTo(rules.configured("orders"));
  }

  private String message(String limits) {
    Answer answer = post("{\"action\":\"limit\",\"limits\":\"" + limits + "\"}");
    assertThat(answer.status()).as(limits).isEqualTo(400);
    return answer.json().get("message").asString();
  }

  @Test
  void whenTheApplicationRunsThenEveryOperatorActionHasItsCounterSeriesKeyResetsIncluded() {
    assertThat(meters.find("resilience.operator.actions").counters())
        .extracting(counter -> counter.getId().getTag("action"))
        .containsExactlyInAnyOrder(
            "open",
            "close",
            "reset",
            "open-all",
            "close-all",
            "reset-all",
            "limit",
            "restore",
            "reset-key");
  }

  @Test
  void whenAKeyIsResetThenTheActionIsLoggedWithoutTheKeyAndCounted(CapturedOutput output)
      throws Exception {
    String key = "sk-live-0123456789abcdef";
    assertThat(admittedUntilRefused(key)).isEqualTo(2);
    double before = counted("reset-key");

    Answer answer =
        send(HttpMethod.DELETE, "/actuator/resilience/keys/orders/" + key, null, "alice");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("wasLive").asBoolean()).isTrue();
    assertThat(order(key).status()).isEqualTo(200);
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)),
                0,
                4);
    assertThat(output)
        .contains(
            "Operator action reset-key: key sha256:"
                + hash
                + " of 'orders' reset to full (by 'alice')");
    assertThat(output.getAll().lines().filter(line -> line.contains("Operator action")))
        .noneMatch(line -> line.contains(key) || line.contains(key.substring(0, 8)));
    assertThat(counted("reset-key")).isEqualTo(before + 1);
  }
}
