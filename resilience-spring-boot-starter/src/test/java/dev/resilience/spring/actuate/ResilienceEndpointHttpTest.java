package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /actuator/resilience} and {@code /actuator/health} of a running web application. */
@SpringBootTest(
    classes = ResilienceEndpointHttpTest.TradingApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,resilience",
      "management.endpoint.resilience.access=unrestricted",
      "management.endpoint.health.show-details=always",
      // large enough for a 100 000-character breaker name in the path, to show what the endpoint
      // echoes
      "server.max-http-request-header-size=256KB"
    })
class ResilienceEndpointHttpTest {

  /**
   * The application: auto-configuration and one bean with {@code @Guarded} methods, no scanning.
   */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(TradingClient.class)
  static class TradingApplication {}

  record Answer(int status, String body) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }
  }

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @Autowired TradingClient trading;

  private RestClient http;

  @BeforeEach
  void setUp() {
    http = RestClient.create("http://localhost:" + port);
    registry.circuitBreaker("exchange").reset();
  }

  private Answer get(String path) {
    return http.get()
        .uri(path)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    new String(response.getBody().readAllBytes())));
  }

  private Answer post(String path, String json) {
    return http.post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .body(json)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    new String(response.getBody().readAllBytes())));
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(element -> texts.add(element.asString()));
    return texts;
  }

  @Test
  void whenReadThenEveryDeclaredBreakerAndEndpointIsListedWithEverySpecField() {
    Answer answer = get("/actuator/resilience");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode exchange = answer.json().get("breakers").get("exchange");
    assertThat(exchange.get("state").asString()).isEqualTo("CLOSED");
    assertThat(Instant.parse(exchange.get("since").asString())).isBeforeOrEqualTo(Instant.now());
    assertThat(exchange.get("failuresInWindow").isDouble()).isTrue();
    assertThat(exchange.get("failuresInWindow").asDouble()).isZero();
    assertThat(exchange.get("callsInWindow").isIntegralNumber()).isTrue();
    assertThat(exchange.get("callsInWindow").asLong()).isZero();
    assertThat(exchange.get("failureCodes").isObject()).isTrue();
    assertThat(exchange.get("retryAfterMs").asLong()).isZero();
    assertThat(texts(exchange.get("endpoints")))
        .containsExactly("cancel_order", "health", "place_order");
    JsonNode config = exchange.get("config");
    assertThat(config.get("windowMs").asLong()).isEqualTo(60_000L);
    assertThat(config.get("failThreshold").asInt()).isEqualTo(10);
    assertThat(config.get("cooldownMs").asLong()).isEqualTo(30_000L);
    assertThat(config.get("minDwellMs").asLong()).isEqualTo(30_000L);
    assertThat(config.get("probeCount").asInt()).isEqualTo(1);

    JsonNode rateLimiters = answer.json().get("rateLimiters");
    assertThat(rateLimiters.propertyNames())
        .containsExactly("cancel_order", "health", "place_order");
    JsonNode placeOrder = rateLimiters.get("place_order");
    assertThat(placeOrder.get("availableTokens").isDouble()).isTrue();
    assertThat(placeOrder.get("breaker").asString()).isEqualTo("exchange");
    assertThat(placeOrder.get("allowlist").asBoolean()).isFalse();
    assertThat(placeOrder.get("config").get("capacityPerSecond").asDouble()).isEqualTo(8.0);
    assertThat(placeOrder.get("config").get("burst").asInt()).isEqualTo(16);
    assertThat(placeOrder.get("config").get("maxWaitMs").asLong()).isEqualTo(1_000L);
    assertThat(rateLimiters.get("health").get("allowlist").asBoolean()).isTrue();
  }

  @Test
  void whenReadByNameThenTheBreakerOrTheEndpointIsAnsweredAndAnUnknownNameIs404() {
    JsonNode breaker = get("/actuator/resilience/exchange").json();
    assertThat(breaker.propertyNames()).containsExactly("breaker");
    assertThat(breaker.get("breaker").get("state").asString()).isEqualTo("CLOSED");

    JsonNode endpoint = get("/actuator/resilience/health").json();
    assertThat(endpoint.propertyNames()).containsExactly("rateLimiter");
    assertThat(endpoint.get("rateLimiter").get("breaker").asString()).isEqualTo("exchange");
    assertThat(endpoint.get("rateLimiter").get("allowlist").asBoolean()).isTrue();

    assertThat(get("/actuator/resilience/nope").status()).isEqualTo(404);
  }

  @Test
  void whenABreakerOpensThenTheEventsPathListsItsTransitionNewestFirstWithAnIsoTime() {
    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    post("/actuator/resilience/exchange", "{\"action\":\"open\"}");
    post("/actuator/resilience/exchange", "{\"action\":\"close\"}");

    Answer answer = get("/actuator/resilience/events");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().propertyNames()).containsExactly("events");
    JsonNode events = answer.json().get("events");
    // newest first: each operator action after the transition it caused
    assertThat(events.get(0).get("kind").asString()).isEqualTo("forced");
    assertThat(events.get(0).get("name").asString()).isEqualTo("exchange");
    assertThat(events.get(0).get("detail").asString())
        .isEqualTo("close: breaker 'exchange' OPEN -> CLOSED");
    JsonNode closed = events.get(1);
    JsonNode opened = events.get(3);
    assertThat(events.get(2).get("kind").asString()).isEqualTo("forced");
    assertThat(closed.propertyNames())
        .containsExactly("sequence", "time", "kind", "name", "from", "to");
    assertThat(closed.get("kind").asString()).isEqualTo("transition");
    assertThat(closed.get("name").asString()).isEqualTo("exchange");
    assertThat(closed.get("from").asString()).isEqualTo("OPEN");
    assertThat(closed.get("to").asString()).isEqualTo("CLOSED");
    assertThat(opened.get("from").asString()).isEqualTo("CLOSED");
    assertThat(opened.get("to").asString()).isEqualTo("OPEN");
    assertThat(closed.get("sequence").asLong()).isEqualTo(opened.get("sequence").asLong() + 2);
    assertThat(Instant.parse(opened.get("time").asString()))
        .isBetween(before, Instant.parse(closed.get("time").asString()));
  }

  @Test
  void whenEventsIsPostedToThenTheAnswerIs404ForNoBreakerIsNamedSo() {
    Answer answer = post("/actuator/resilience/events", "{\"action\":\"open\"}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().get("message").asString())
        .isEqualTo("No circuit breaker is named 'events'");
  }

  @Test
  void whenOpenIsPostedThenTheBreakerRejectsCallsExceptAllowlistedOnes() {
    Answer answer = post("/actuator/resilience/exchange", "{\"action\":\"open\"}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("breaker").get("state").asString()).isEqualTo("OPEN");
    assertThat(answer.json().get("breaker").get("forced").asBoolean()).isTrue();
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.OPEN);
    assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(trading::placeOrder);
    assertThat(trading.health()).isEqualTo("up");
  }

  @Test
  void whenCloseIsPostedThenTheBreakerClosesKeepingItsFailures() {
    Guard placeOrder = registry.guards().get("place_order");
    placeOrder.admit().failed("503");
    registry.circuitBreaker("exchange").forceOpen();

    Answer answer = post("/actuator/resilience/exchange", "{\"action\":\"close\"}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("breaker").get("state").asString()).isEqualTo("CLOSED");
    assertThat(answer.json().get("breaker").get("failureCodes").get("503").asLong()).isEqualTo(1L);
    assertThat(trading.placeOrder()).isEqualTo("placed");
  }

  @Test
  void whenResetIsPostedThenTheBreakerClosesWithAnEmptyWindow() {
    Guard placeOrder = registry.guards().get("place_order");
    placeOrder.admit().failed("503");
    registry.circuitBreaker("exchange").forceOpen();

    Answer answer = post("/actuator/resilience/exchange", "{\"action\":\"reset\"}");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode breaker = answer.json().get("breaker");
    assertThat(breaker.get("state").asString()).isEqualTo("CLOSED");
    assertThat(breaker.get("callsInWindow").asLong()).isZero();
    assertThat(breaker.get("failuresInWindow").asDouble()).isZero();
    assertThat(registry.circuitBreaker("exchange").snapshot().callsInWindow()).isZero();
  }

  @Test
  void whenAnUnknownActionIsPostedThenTheAnswerIs400NamingTheAllowedActions() {
    Answer answer = post("/actuator/resilience/exchange", "{\"action\":\"explode\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(texts(answer.json().get("allowedActions")))
        .containsExactly("open", "close", "reset", "limit", "restore");
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void whenAnActionIsPostedToAnUnknownBreakerThenTheAnswerIs404() {
    assertThat(post("/actuator/resilience/nope", "{\"action\":\"open\"}").status()).isEqualTo(404);
    assertThat(registry.findCircuitBreaker("nope")).isNull();
  }

  @Test
  void whenAHugeUnknownActionIsPostedThenTheAnswerEchoesOnlyItsStartAndLength() {
    String action = "x".repeat(100_000);

    Answer answer = post("/actuator/resilience/exchange", "{\"action\":\"" + action + "\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().length()).isLessThan(1_024);
    assertThat(answer.json().get("message").asString())
        .isEqualTo(
            "Unknown action '"
                + "x".repeat(64)
                + "…' (100000 characters): the action must be one of open, close, reset, limit, restore");
    assertThat(texts(answer.json().get("allowedActions")))
        .containsExactly("open", "close", "reset", "limit", "restore");
  }

  @Test
  void whenAnActionIsPostedToAHugeUnknownNameThenTheAnswerEchoesOnlyItsStartAndLength() {
    String name = "n".repeat(100_000);

    Answer answer = post("/actuator/resilience/" + name, "{\"action\":\"open\"}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().length()).isLessThan(1_024);
    assertThat(answer.json().get("message").asString())
        .isEqualTo("No circuit breaker is named '" + "n".repeat(64) + "…' (100000 characters)");
    assertThat(registry.circuitBreakers()).containsOnlyKeys("exchange");
  }

  @Test
  void whenAHugeUnknownNameIsReadThenTheAnswerIsAnEmpty404() {
    Answer answer = get("/actuator/resilience/" + "n".repeat(100_000));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).isEmpty();
  }

  @Test
  void whenNoActionIsPostedThenTheAnswerIs400SayingWhatTheBodyMustBe() {
    Answer answer = post("/actuator/resilience/exchange", "{}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asString())
        .isEqualTo(
            "No action: the body must be {\"action\": \"open\"|\"close\"|\"reset\"|\"limit\"|\"restore\"}");
    assertThat(texts(answer.json().get("allowedActions")))
        .containsExactly("open", "close", "reset", "limit", "restore");
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void whenANullActionIsPostedThenTheAnswerIs400SayingWhatTheBodyMustBe() {
    Answer answer = post("/actuator/resilience/exchange", "{\"action\":null}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asString())
        .isEqualTo(
            "No action: the body must be {\"action\": \"open\"|\"close\"|\"reset\"|\"limit\"|\"restore\"}");
  }

  @Test
  void whenAnEmptyBodyIsPostedThenTheAnswerIs400SayingWhatTheBodyMustBe() {
    Answer answer = post("/actuator/resilience/exchange", "");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asString()).startsWith("No action: the body must be");
  }

  @Test
  void whenTheBodyIsNotJsonThenSpringBootAnswers400BeforeTheEndpointRuns() {
    Answer answer = post("/actuator/resilience/exchange", "open please");

    // Boot reads the body into a map before any operation runs; its own error answer says why
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("error").asString()).isEqualTo("Bad Request");
    assertThat(answer.json().get("path").asString()).isEqualTo("/actuator/resilience/exchange");
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void whenHealthIsReadThenTheResilienceComponentListsBreakerStatesAndStaysUpWhileOpen() {
    JsonNode closed = get("/actuator/health").json().get("components").get("resilience");
    assertThat(closed.get("status").asString()).isEqualTo("UP");
    assertThat(closed.get("details").get("exchange").asString()).isEqualTo("CLOSED");

    registry.circuitBreaker("exchange").forceOpen();

    Answer health = get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    JsonNode open = health.json().get("components").get("resilience");
    assertThat(open.get("status").asString()).isEqualTo("UP");
    assertThat(open.get("details").get("exchange").asString()).isEqualTo("OPEN");
  }
}
