package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitState;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.sample.SampleHttp.Answer;
import dev.resilience.sample.exchange.SimulatedExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /quotes/{symbol}} over real HTTP: a {@code Mono} from a guarded {@code WebClient}
 * call, served by Spring MVC, sharing the {@code exchange} breaker with the orders and paused by
 * the exchange's own 429s.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = SampleHttp.OPERATOR_PASSWORD_PROPERTY)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotesEndToEndTest {

  @LocalServerPort int port;

  @Autowired SimulatedExchange exchange;

  @Autowired ResilienceRegistry registry;

  private SampleHttp http;
  private SampleHttp operator;

  @BeforeEach
  void setUp() {
    http = new SampleHttp(port);
    operator = http.asOperator();
    // the context is shared with other classes: start from a closed breaker with an empty window
    assertThat(
            operator
                .send("POST", "/actuator/resilience/exchange", "{\"action\":\"reset\"}")
                .status())
        .isEqualTo(200);
  }

  @AfterEach
  void heal() {
    operator.send("DELETE", "/sim/chaos", null);
    operator.send("POST", "/actuator/resilience/exchange", "{\"action\":\"reset\"}");
  }

  @Test
  @Order(1)
  void whenTheExchangeIsHealthyThenAQuoteIsServed() {
    long before = exchange.requests();

    Answer quote = http.get("/quotes/BTC-USD");

    assertThat(quote.status()).as(quote.body()).isEqualTo(200);
    JsonNode json = quote.json();
    assertThat(json.get("symbol").asString()).isEqualTo("BTC-USD");
    assertThat(json.get("ask").asDouble() - json.get("bid").asDouble()).isEqualTo(0.5);
    assertThat(json.get("bid").asDouble()).isGreaterThanOrEqualTo(100);
    assertThat(json.get("time").asString()).endsWith("Z");
    assertThat(exchange.requests() - before).as("one call to the exchange").isEqualTo(1);
    assertThat(registry.guards().get("quotes").breaker().name()).isEqualTo("exchange");
  }

  @Test
  @Order(2)
  void whenTheSymbolIsBadThenItIsRefused400WithoutCallingTheExchange() {
    long before = exchange.requests();

    http.get("/quotes/btc")
        .assertProblem(400, "Invalid symbol", "symbol 'btc' must look like BTC-USD")
        .assertNoInternals();
    http.get("/quotes/" + "A".repeat(60) + "-USD")
        .assertProblem(
            400, "Invalid symbol", "symbol '" + "A".repeat(40) + "…' must look like BTC-USD")
        .assertNoInternals();

    assertThat(exchange.requests()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void whenTheExchangeFails503ThenTheBreakerOpensAfterThreeAndQuotesFailFast503() {
    assertThat(
            operator
                .send("PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":1.0,\"latencyMs\":0}")
                .status())
        .isEqualTo(200);

    for (int i = 0; i < 3; i++) {
      Answer failed = http.get("/quotes/ETH-USD");
      assertThat(failed.status()).as("downstream failure %d: %s", i, failed.body()).isEqualTo(502);
      assertThat(failed.json().get("exchangeStatus").asInt()).isEqualTo(503);
      failed.assertNoInternals();
    }
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.OPEN);
    long requestsWhenOpened = exchange.requests();

    Answer rejected = http.get("/quotes/ETH-USD");

    assertThat(rejected.status()).as(rejected.body()).isEqualTo(503);
    assertThat(Long.parseLong(rejected.headers().getFirst("Retry-After")))
        .isGreaterThanOrEqualTo(1);
    assertThat(rejected.json().get("breaker").asString()).isEqualTo("exchange");
    assertThat(rejected.json().get("endpoint").asString()).isEqualTo("quotes");
    assertThat(exchange.requests()).as("failed fast").isEqualTo(requestsWhenOpened);
    Answer order =
        http.send("POST", "/orders", "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1}");
    assertThat(order.status()).as("the orders share the breaker").isEqualTo(503);
  }

  @Test
  @Order(4)
  void whenTheExchangeIsTooSlowThenTheClientsReadTimeoutAnswers502AndTheBreakerCountsATimeout() {
    assertThat(
            operator
                .send("PUT", "/sim/chaos", "{\"status\":500,\"failureRate\":0,\"latencyMs\":2500}")
                .status())
        .isEqualTo(200);

    Answer slow = http.get("/quotes/BTC-USD");

    slow.assertProblem(502, "Exchange failure", "the exchange did not answer in time")
        .assertNoInternals();
    assertThat(registry.circuitBreaker("exchange").snapshot().failureCodes())
        .containsEntry("timeout", 1L);
  }

  /** Last: it leaves the quotes bucket paused for two seconds. */
  @Test
  @Order(5)
  void
      whenTheExchangeAnswers429WithRetryAfterThenTheNextQuotesAreAnswered429HereWithoutCallingIt() {
    assertThat(
            operator
                .send(
                    "PUT",
                    "/sim/chaos",
                    "{\"status\":429,\"failureRate\":1.0,\"latencyMs\":0,\"retryAfterSeconds\":2}")
                .status())
        .isEqualTo(200);

    Answer first = http.get("/quotes/SOL-USD");
    long requestsAfterFirst = exchange.requests();
    operator.send("DELETE", "/sim/chaos", null); // the exchange would answer now: only we hold back
    Answer second = http.get("/quotes/SOL-USD");
    Answer third = http.get("/quotes/BTC-USD");

    assertThat(first.status()).as(first.body()).isEqualTo(502);
    assertThat(first.json().get("exchangeStatus").asInt()).isEqualTo(429);
    for (Answer held : new Answer[] {second, third}) {
      assertThat(held.status()).as(held.body()).isEqualTo(429);
      assertThat(held.headers().getFirst("Retry-After")).isEqualTo("2");
      assertThat(held.json().get("endpoint").asString()).isEqualTo("quotes");
    }
    assertThat(exchange.requests()).as("requests the exchange saw").isEqualTo(requestsAfterFirst);
    Answer limiter = http.get("/actuator/resilience/quotes");
    assertThat(limiter.json().get("rateLimiter").get("pausedUntil").asString()).endsWith("Z");
  }
}
