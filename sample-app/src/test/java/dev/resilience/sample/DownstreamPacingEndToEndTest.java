package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.sample.SampleHttp.Answer;
import dev.resilience.sample.exchange.SimulatedExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The exchange asks for a pause, over real HTTP: its 429 with {@code Retry-After: 2} holds the
 * orders back in this app, which answers them 429 itself without calling the exchange until then.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = SampleHttp.OPERATOR_PASSWORD_PROPERTY)
class DownstreamPacingEndToEndTest {

  private static final String ORDER = "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1}";

  @LocalServerPort int port;

  @Autowired SimulatedExchange exchange;

  @Autowired ResilienceRegistry registry;

  private SampleHttp http;
  private SampleHttp operator;

  @BeforeEach
  void setUp() {
    http = new SampleHttp(port);
    operator = http.asOperator();
  }

  @AfterEach
  void heal() {
    operator.send("DELETE", "/sim/chaos", null);
  }

  @Test
  void
      whenTheExchangeAnswers429WithRetryAfterThenTheNextOrdersAreAnswered429HereWithoutCallingIt() {
    Answer chaos =
        operator.send(
            "PUT",
            "/sim/chaos",
            "{\"status\":429,\"failureRate\":1.0,\"latencyMs\":0,\"retryAfterSeconds\":2}");
    assertThat(chaos.status()).isEqualTo(200);
    assertThat(chaos.json().get("retryAfterSeconds").asInt()).isEqualTo(2);

    Answer first = http.send("POST", "/orders", ORDER);
    long requestsAfterFirst = exchange.requests();
    operator.send("DELETE", "/sim/chaos", null); // the exchange would answer now: only we hold back
    Answer second = http.send("POST", "/orders", ORDER);
    Answer third = http.send("POST", "/orders", ORDER);

    assertThat(first.status()).as(first.body()).isEqualTo(502);
    assertThat(first.json().get("exchangeStatus").asInt()).isEqualTo(429);
    for (Answer held : new Answer[] {second, third}) {
      assertThat(held.status()).as(held.body()).isEqualTo(429);
      assertThat(held.headers().getFirst("Retry-After")).isEqualTo("2");
      assertThat(held.json().get("endpoint").asString()).isEqualTo("place_order");
    }
    assertThat(exchange.requests()).as("requests the exchange saw").isEqualTo(requestsAfterFirst);
    Answer limiter = http.get("/actuator/resilience/place_order");
    assertThat(limiter.json().get("rateLimiter").get("pausedUntil").asString()).endsWith("Z");
    assertThat(registry.guards().get("place_order").downstreamPauseNanos()).isPositive();
  }
}
