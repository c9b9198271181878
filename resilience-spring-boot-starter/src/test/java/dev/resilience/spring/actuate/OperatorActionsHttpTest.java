package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitState;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.BasicAuthSecurity;
import dev.resilience.spring.Guarded;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's write operations over HTTP: limits changed and restored, the kill switch, each
 * refusal, the audit log line with the principal Spring Security authenticated, and the counter.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
    classes = {OperatorActionsHttpTest.OperatedApplication.class, BasicAuthSecurity.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=resilience",
      "management.endpoint.resilience.access=unrestricted",
      "resilience.rate-limiter.endpoint-overrides.place_order.capacity-per-second=5",
      "resilience.rate-limiter.endpoint-overrides.place_order.burst=10",
    })
class OperatorActionsHttpTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({TradingClient.class, QuoteClient.class, AccountQuotes.class})
  static class OperatedApplication {}

  /** A keyed endpoint: every account has its own bucket. */
  public static class AccountQuotes {

    @Guarded(endpoint = "account_quote", breaker = "feed", key = "#account")
    public String quote(String account) {
      return "42.0";
    }
  }

  record Answer(int status, String body) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }
  }

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @Autowired MeterRegistry meters;

  @Autowired AccountQuotes accountQuotes;

  private RestClient http;

  @BeforeEach
  void setUp() {
    http = RestClient.create("http://localhost:" + port);
    registry.circuitBreakers().values().forEach(breaker -> breaker.reset());
    registry.guards().keySet().forEach(registry::restoreLimits);
  }

  private Answer post(String path, String json) {
    return post(path, json, null);
  }

  private Answer post(String path, String json, String user) {
    return http.post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .headers(
            headers -> {
              if (user != null) {
                headers.set(
                    HttpHeaders.AUTHORIZATION,
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8)));
              }
            })
        .body(json)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
  }

  private double counted(String action) {
    return meters.get("resilience.operator.actions").tag("action", action).counter().count();
  }

  @Test
  void whenALimitIsPostedThenTheBucketChangesAtOnceKeepingItsTokensAndIsShownOverridden(
      CapturedOutput output) {
    RateLimiter bucket = registry.rateLimiter("place_order");
    for (int i = 0; i < 7; i++) {
      bucket.tryAcquire(); // 3 of 10 left
    }
    double before = counted("limit");

    Answer answer =
        post(
            "/actuator/resilience/place_order",
            "{\"action\":\"limit\",\"capacityPerSecond\":2.0,\"burst\":2}",
            "alice");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode limiter = answer.json().get("rateLimiter");
    assertThat(limiter.get("overridden").asBoolean()).isTrue();
    assertThat(limiter.get("config").toString())
        .isEqualTo("{\"capacityPerSecond\":2.0,\"burst\":2,\"maxWaitMs\":1000}");
    assertThat(limiter.get("availableTokens").asDouble()).isLessThanOrEqualTo(2.0);
    assertThat(bucket.config().burst()).isEqualTo(2);
    assertThat(output)
        .contains(
            "Operator action limit: endpoint 'place_order' capacityPerSecond 5.0 -> 2.0,"
                + " burst 10 -> 2 (by 'alice')");
    assertThat(counted("limit")).isEqualTo(before + 1);
    JsonNode newest =
        http.get()
            .uri("/actuator/resilience/events")
            .retrieve()
            .body(JsonNode.class)
            .get("events")
            .get(0);
    assertThat(newest.get("kind").asString()).isEqualTo("limit");
    assertThat(newest.get("name").asString()).isEqualTo("place_order");
    assertThat(newest.get("detail").asString())
        .isEqualTo(
            "limit: endpoint 'place_order' capacityPerSecond 5.0 -> 2.0, burst 10 -> 2"
                + " (by 'alice')");
  }

  @Test
  void whenRestoreIsPostedThenTheConfiguredLimitsApplyAgainAndTheOverrideIsGone(
      CapturedOutput output) {
    registry.changeLimits("place_order", 1, 3);
    double before = counted("restore");

    Answer answer = post("/actuator/resilience/place_order", "{\"action\":\"restore\"}");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode limiter = answer.json().get("rateLimiter");
    assertThat(limiter.get("overridden").asBoolean()).isFalse();
    assertThat(limiter.get("config").toString())
        .isEqualTo("{\"capacityPerSecond\":5.0,\"burst\":10,\"maxWaitMs\":1000}");
    assertThat(output)
        .contains(
            "Operator action restore: endpoint 'place_order' capacityPerSecond 1.0 -> 5.0,"
                + " burst 3 -> 10 (by an unauthenticated caller)");
    assertThat(counted("restore")).isEqualTo(before + 1);
  }

  @Test
  void whenAKeyedEndpointIsLimitedThenEveryKeyIsHeldToTheNewLimits() {
    accountQuotes.quote("acct-1");

    Answer answer =
        post(
            "/actuator/resilience/account_quote",
            "{\"action\":\"limit\",\"capacityPerSecond\":1,\"burst\":3}");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode limiter = answer.json().get("rateLimiter");
    assertThat(limiter.get("keyed").asBoolean()).isTrue();
    assertThat(limiter.get("overridden").asBoolean()).isTrue();
    assertThat(limiter.get("config").get("burst").asInt()).isEqualTo(3);
    assertThat(registry.findKeyedRateLimiter("account_quote").limits("acct-1").get(0).quota())
        .isEqualTo(3);
  }

  @Test
  void whenALimitLacksAFieldOrHasABadValueThenTheAnswerIs400NamingTheField() {
    assertThat(
            post("/actuator/resilience/place_order", "{\"action\":\"limit\",\"burst\":4}").json())
        .hasToString(
            "{\"message\":\"capacityPerSecond is missing: the body must be {\\\"action\\\":"
                + " \\\"limit\\\", \\\"capacityPerSecond\\\": <tokens per second, greater than 0"
                + " and at most 1e9>, \\\"burst\\\": <a whole number, at least 1>}\"}");
    Answer noBurst =
        post("/actuator/resilience/place_order", "{\"action\":\"limit\",\"capacityPerSecond\":2}");
    assertThat(noBurst.status()).isEqualTo(400);
    assertThat(noBurst.json().get("message").asString()).startsWith("burst is missing");
    Answer negative =
        post(
            "/actuator/resilience/place_order",
            "{\"action\":\"limit\",\"capacityPerSecond\":-1,\"burst\":4}");
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.json().get("message").asString())
        .isEqualTo("capacityPerSecond must be a number greater than 0 and at most 1e9, not '-1'");
    Answer nan =
        post(
            "/actuator/resilience/place_order",
            "{\"action\":\"limit\",\"capacityPerSecond\":\"NaN\",\"burst\":4}");
    assertThat(nan.status()).isEqualTo(400);
    Answer zeroBurst =
        post(
            "/actuator/resilience/place_order",
            "{\"action\":\"limit\",\"capacityPerSecond\":2,\"burst\":0}");
    assertThat(zeroBurst.status()).isEqualTo(400);
    assertThat(zeroBurst.json().get("message").asString())
        .isEqualTo("burst must be a whole number of at least 1, not '0'");
    assertThat(registry.limitsChanged("place_order")).isFalse();
  }

  @Test
  void whenALimitNamesNoEndpointThenTheAnswerIs404() {
    Answer answer =
        post(
            "/actuator/resilience/nope",
            "{\"action\":\"limit\",\"capacityPerSecond\":2,\"burst\":4}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().get("message").asString())
        .isEqualTo("No endpoint's rate limiter is named 'nope'");
  }

  @Test
  void whenOpenAllIsPostedThenEveryBreakerIsForcedOpenLoggedAndCounted(CapturedOutput output) {
    double before = counted("open-all");

    Answer answer = post("/actuator/resilience", "{\"action\":\"open-all\"}", "alice");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(registry.circuitBreakers().values())
        .allSatisfy(breaker -> assertThat(breaker.state()).isEqualTo(CircuitState.OPEN));
    assertThat(answer.json().get("breakers").get("exchange").get("state").asString())
        .isEqualTo("OPEN");
    assertThat(output)
        .contains("Operator action open-all: 3 breakers [exchange, feed, quote] (by 'alice')");
    assertThat(counted("open-all")).isEqualTo(before + 1);

    assertThat(post("/actuator/resilience", "{\"action\":\"close-all\"}").status()).isEqualTo(200);
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
    registry.circuitBreaker("quote").forceOpen();
    assertThat(post("/actuator/resilience", "{\"action\":\"reset-all\"}").status()).isEqualTo(200);
    assertThat(registry.circuitBreaker("quote").state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void whenAnotherGlobalActionIsPostedThenTheAnswerIs400ListingTheAllowedOnes() {
    Answer answer = post("/actuator/resilience", "{\"action\":\"open\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json())
        .hasToString(
            "{\"message\":\"Unknown action 'open': the action must be one of open-all, close-all,"
                + " reset-all\",\"allowedActions\":[\"open-all\",\"close-all\",\"reset-all\"]}");
    assertThat(post("/actuator/resilience", "{}").status()).isEqualTo(400);
  }

  @Test
  void whenABreakerIsForcedThenTheActionIsLoggedWithItsStatesAndCounted(CapturedOutput output) {
    double before = counted("open");

    assertThat(post("/actuator/resilience/exchange", "{\"action\":\"open\"}", "alice").status())
        .isEqualTo(200);

    assertThat(output)
        .contains("Operator action open: breaker 'exchange' CLOSED -> OPEN (by 'alice')");
    assertThat(counted("open")).isEqualTo(before + 1);
  }
}
