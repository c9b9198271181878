package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.CircuitState;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.ResilienceRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole product over real HTTP: the trading API, the simulated exchange behind it, the
 * starter's breaker, limiter, HTTP answers, actuator endpoint and Prometheus metrics. The steps
 * build on each other, in order.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.breaker.endpoint-overrides.exchange.cooldown=1s",
      "resilience.breaker.endpoint-overrides.exchange.min-dwell=1s",
      SampleHttp.OPERATOR_PASSWORD_PROPERTY
    })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TradingAppEndToEndTest {

  private static final String ORDER = "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1}";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** In the pro tier (50/s), so that the inbound rule leaves the bursts to place_order's bucket. */
  private static final String PRO_KEY = "pro-key-1";

  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  private RestClient http() {
    return RestClient.create("http://localhost:" + port);
  }

  private Answer send(String method, String path, String body) {
    return send(method, path, body, null);
  }

  /** Sends as the operator (HTTP Basic), as forcing the breaker and switching chaos need. */
  private Answer operatorSend(String method, String path, String body) {
    return send(method, path, body, "operator:" + SampleHttp.OPERATOR_PASSWORD);
  }

  private Answer send(String method, String path, String body, String credentials) {
    RestClient.RequestBodySpec request =
        http()
            .method(org.springframework.http.HttpMethod.valueOf(method))
            .uri(path)
            .header("X-Api-Key", PRO_KEY);
    if (credentials != null) {
      request.header(
          HttpHeaders.AUTHORIZATION,
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    if (body != null) {
      request.contentType(MediaType.APPLICATION_JSON).body(body);
    }
    return request.exchange(
        (req, res) ->
            new Answer(
                res.getStatusCode().value(),
                res.getHeaders(),
                new String(res.getBody().readAllBytes())));
  }

  private Answer get(String path) {
    return send("GET", path, null);
  }

  /** Waits until the account's own {@code place_order} bucket is full again. */
  private void awaitFullBucket(String account) {
    KeyedRateLimiter placeOrder = registry.findKeyedRateLimiter("place_order");
    int burst = placeOrder.limits(account).get(0).quota();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> placeOrder.availableTokens(account, 0) >= burst);
  }

  @Test
  @Order(0)
  void whenNoRedisRunsTheDefaultProfileIsHealthyAndNeverAsksRedis() {
    // the components are shown to the operator only
    Answer health = operatorSend("GET", "/actuator/health", null);

    assertThat(health.status()).as(health.body()).isEqualTo(200);
    assertThat(health.json().get("status").asString()).isEqualTo("UP");
    assertThat(health.json().get("components").has("redis"))
        .as("the local backend does not use Redis: its health is not the app's")
        .isFalse();
  }

  @Test
  @Order(1)
  void ordersArePlacedAndCancelled() {
    Answer placed = send("POST", "/orders", ORDER);
    assertThat(placed.status()).isEqualTo(201);
    JsonNode order = placed.json();
    assertThat(order.get("symbol").asString()).isEqualTo("BTC-USD");
    assertThat(order.get("side").asString()).isEqualTo("BUY");
    assertThat(order.get("status").asString()).isEqualTo("OPEN");

    Answer cancelled = send("DELETE", "/orders/" + order.get("id").asString(), null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");

    send("POST", "/orders", ORDER);
    Answer all = send("DELETE", "/orders", null);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().get("cancelled").asInt()).isEqualTo(1);
    assertThat(get("/exchange/health").json().get("status").asString()).isEqualTo("UP");
  }

  @Test
  @Order(2)
  void badOrdersAreRefusedWithAReason() {
    Answer side = send("POST", "/orders", "{\"symbol\":\"BTC-USD\",\"side\":\"HOLD\",\"qty\":1}");
    assertThat(side.status()).isEqualTo(400);
    assertThat(side.json().get("detail").asString()).isEqualTo("side must be BUY or SELL");

    Answer qty = send("POST", "/orders", "{\"symbol\":\"BTC-USD\",\"side\":\"SELL\",\"qty\":0}");
    assertThat(qty.status()).isEqualTo(400);
    assertThat(qty.json().get("detail").asString()).contains("qty must be greater than 0");

    Answer malformed = send("POST", "/orders", "{\"symbol\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("detail").asString()).contains("not a valid order");
  }

  @Test
  @Order(3)
  void aBurstAbovePlaceOrdersBurstGets429sAndNeverMoreThanBurstPlusRateTimesElapsed()
      throws Exception {
    awaitFullBucket("default");
    int callers = 40;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Future<Answer>> answers = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < callers; i++) {
        answers.add(pool.submit(() -> send("POST", "/orders", ORDER)));
      }
      List<Answer> done = new ArrayList<>();
      for (Future<Answer> answer : answers) {
        done.add(answer.get());
      }
      double elapsedSeconds = (System.nanoTime() - start) / 1e9;

      long admitted = done.stream().filter(a -> a.status() == 201).count();
      List<Answer> limited = done.stream().filter(a -> a.status() == 429).toList();
      assertThat(admitted + limited.size())
          .as("every call admitted or rate limited")
          .isEqualTo(callers);
      assertThat((double) admitted)
          .as("burst 10 + 5/s x %.2fs", elapsedSeconds)
          .isLessThanOrEqualTo(10 + 5 * elapsedSeconds + 1);
      assertThat(admitted).as("at least the burst").isGreaterThanOrEqualTo(10);
      assertThat(limited).isNotEmpty();
      for (Answer answer : limited) {
        assertThat(Long.parseLong(answer.headers().getFirst("Retry-After")))
            .isGreaterThanOrEqualTo(1);
        // the inbound rule's policy (the pro tier), then the endpoint's, whose bucket is empty
        assertThat(answer.headers().getFirst("RateLimit-Policy"))
            .isEqualTo("\"orders\";q=50;w=1, \"place_order\";q=10;w=2");
        assertThat(answer.headers().getFirst("RateLimit"))
            .matches("\"orders\";r=\\d+;t=\\d+, \"place_order\";r=0;t=[1-9]\\d*");
        assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.json().get("endpoint").asString()).isEqualTo("place_order");
      }
    } finally {
      pool.shutdownNow();
      send("DELETE", "/orders", null);
    }
  }

  @Test
  @Order(4)
  void oneAccountsBurstDoesNotStarveAnother() throws Exception {
    awaitFullBucket("alice");
    awaitFullBucket("bob");
    String alice = ORDER.replace("}", ",\"account\":\"alice\"}");
    String bob = ORDER.replace("}", ",\"account\":\"bob\"}");
    ExecutorService pool = Executors.newFixedThreadPool(30);
    try {
      List<Future<Answer>> burst = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        burst.add(pool.submit(() -> send("POST", "/orders", alice)));
      }
      long aliceLimited = 0;
      for (Future<Answer> answer : burst) {
        aliceLimited += answer.get().status() == 429 ? 1 : 0;
      }
      Answer bobs = send("POST", "/orders", bob);

      assertThat(aliceLimited).as("alice's 30 at once overflow her burst of 10").isPositive();
      assertThat(bobs.status()).as("bob has his own bucket").isEqualTo(201);
    } finally {
      pool.shutdownNow();
      send("DELETE", "/orders", null);
    }
  }

  @Test
  @Order(5)
  void whenTheExchangeFailsTheSharedBreakerOpensAndOnlyAllowlistedCallsStillReachIt() {
    awaitFullBucket("default");
    assertThat(
            operatorSend(
                    "PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":1.0,\"latencyMs\":0}")
                .status())
        .isEqualTo(200);

    for (int i = 0; i < 3; i++) {
      Answer failed = send("POST", "/orders", ORDER);
      assertThat(failed.status()).as("downstream failure %d", i).isEqualTo(502);
      assertThat(failed.json().get("exchangeStatus").asInt()).isEqualTo(503);
    }
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.OPEN);

    Answer rejected = send("POST", "/orders", ORDER);
    assertThat(rejected.status()).isEqualTo(503);
    assertThat(Long.parseLong(rejected.headers().getFirst("Retry-After")))
        .isGreaterThanOrEqualTo(1);
    assertThat(rejected.json().get("breaker").asString()).isEqualTo("exchange");
    assertThat(rejected.json().get("endpoint").asString()).isEqualTo("place_order");

    Answer cancel = send("DELETE", "/orders/some-id", null);
    assertThat(cancel.status()).as("shared breaker").isEqualTo(503);
    assertThat(cancel.json().get("breaker").asString()).isEqualTo("exchange");

    Answer cancelAll = send("DELETE", "/orders", null);
    assertThat(cancelAll.status()).as("allowlisted: reaches the failing exchange").isEqualTo(502);
    assertThat(cancelAll.json().get("exchangeStatus").asInt()).isEqualTo(503);
    Answer health = get("/exchange/health");
    assertThat(health.status()).isEqualTo(502);
    assertThat(health.json().get("exchangeStatus").asInt()).isEqualTo(503);
  }

  @Test
  @Order(6)
  void actuatorAndPrometheusShowTheOpenBreaker() {
    Answer resilience = get("/actuator/resilience");
    assertThat(resilience.status()).isEqualTo(200);
    JsonNode exchange = resilience.json().get("breakers").get("exchange");
    assertThat(exchange.get("state").asString()).isEqualTo("OPEN");
    assertThat(exchange.get("failureCodes").get("503").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(exchange.get("endpoints").toString())
        .isEqualTo("[\"cancel_all\",\"cancel_order\",\"health\",\"place_order\",\"quotes\"]");
    assertThat(exchange.get("config").get("failThreshold").asInt()).isEqualTo(3);
    JsonNode placeOrder = resilience.json().get("rateLimiters").get("place_order");
    assertThat(placeOrder.get("breaker").asString()).isEqualTo("exchange");
    assertThat(placeOrder.get("config").get("burst").asInt()).isEqualTo(10);

    String prometheus = get("/actuator/prometheus").body();
    assertThat(prometheus).contains("resilience_breaker_state{breaker=\"exchange\"} 1.0");
    assertThat(prometheus)
        .contains("resilience_failures_total{code=\"503\",endpoint=\"place_order\"} 3.0");
    assertThat(prometheus)
        .containsPattern(
            "resilience_calls_total\\{endpoint=\"place_order\",outcome=\"rejected_breaker\"} [1-9]");
    assertThat(prometheus)
        .containsPattern(
            "resilience_calls_total\\{endpoint=\"place_order\",outcome=\"rejected_rate_limit\"} [1-9]");
    assertThat(prometheus)
        .containsPattern(
            "resilience_breaker_transitions_total\\{breaker=\"exchange\",from=\"CLOSED\",to=\"OPEN\"} 1.0");
  }

  @Test
  @Order(7)
  void afterHealingAProbeClosesTheBreakerAndOperatorsCanForceIt() {
    assertThat(operatorSend("DELETE", "/sim/chaos", null).status()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                send("POST", "/orders", ORDER).status() == 201
                    && registry.circuitBreaker("exchange").state() == CircuitState.CLOSED);
    assertThat(get("/actuator/resilience/exchange").json().get("breaker").get("state").asString())
        .isEqualTo("CLOSED");

    Answer opened = operatorSend("POST", "/actuator/resilience/exchange", "{\"action\":\"open\"}");
    assertThat(opened.status()).isEqualTo(200);
    assertThat(send("POST", "/orders", ORDER).status()).isEqualTo(503);

    Answer closed = operatorSend("POST", "/actuator/resilience/exchange", "{\"action\":\"close\"}");
    assertThat(closed.status()).isEqualTo(200);
    assertThat(send("POST", "/orders", ORDER).status()).isEqualTo(201);
    send("DELETE", "/orders", null);
  }
}
