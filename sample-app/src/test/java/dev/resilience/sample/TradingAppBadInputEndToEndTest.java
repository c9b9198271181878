package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.sample.SampleHttp.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Bad input and downstream errors over real HTTP, against the simulated exchange: every answer
 * names what was wrong, echoes nothing unbounded and carries no internals. The exchange breaker's
 * threshold is raised so that the failures provoked here do not open it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.breaker.endpoint-overrides.exchange.fail-threshold=1000",
      SampleHttp.OPERATOR_PASSWORD_PROPERTY
    })
class TradingAppBadInputEndToEndTest {

  private static final String QTY_RANGE = "qty must be greater than 0 and at most 1000000";
  private static final String ORDER_EXAMPLE = "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1}";
  private static final String CHAOS_EXAMPLE =
      "{\"status\":503,\"failureRate\":1.0,\"latencyMs\":0}";

  @LocalServerPort int port;

  private SampleHttp http;
  private SampleHttp operator;

  @BeforeEach
  void connect() {
    http = new SampleHttp(port);
    operator = http.asOperator();
  }

  @AfterEach
  void healAndCancelEverything() {
    operator.send("DELETE", "/sim/chaos", null);
    http.send("DELETE", "/orders", null);
  }

  private static String orderWithQty(String qty) {
    return "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":" + qty + "}";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e309",
        "-1e309",
        "\"Infinity\"",
        "\"-Infinity\"",
        "\"NaN\"",
        "1000000.5",
        "2e6",
        "0",
        "-1"
      })
  void whenQtyIsNotFiniteOrOutOfRangeThenTheOrderIsRefusedNamingTheRange(String qty) {
    http.send("POST", "/orders", orderWithQty(qty))
        .assertProblem(400, "Invalid order", QTY_RANGE)
        .assertNoInternals();
  }

  @Test
  void whenQtyIsAtTheBoundThenTheOrderIsPlaced() {
    Answer placed = http.send("POST", "/orders", orderWithQty("1000000"));
    assertThat(placed.status()).isEqualTo(201);
    assertThat(placed.json().get("qty").asDouble()).isEqualTo(1_000_000.0);
  }

  @Test
  void whenTheOrderHasAnUnknownFieldThenItIsRefusedNamingTheField() {
    http.send(
            "POST", "/orders", "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1,\"price\":100}")
        .assertProblem(
            400,
            "Invalid order",
            "unknown field 'price': an order has only symbol, side, qty and account");
  }

  @Test
  void whenAnUnknownFieldNameIsHugeThenTheAnswerEchoesOnlyItsStart() {
    String name = "p".repeat(10_000); // Jackson refuses names above 50,000 characters as malformed
    Answer refused =
        http.send(
            "POST",
            "/orders",
            "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1,\"" + name + "\":1}");
    refused.assertProblem(
        400,
        "Invalid order",
        "unknown field '" + "p".repeat(40) + "…': an order has only symbol, side, qty and account");
    assertThat(refused.body().length()).isLessThan(400);
  }

  @Test
  void whenAFieldHasTheWrongTypeThenTheOrderIsRefusedNamingTheField() {
    http.send("POST", "/orders", orderWithQty("\"lots\""))
        .assertProblem(
            400, "Invalid order", "qty has the wrong type: send JSON like " + ORDER_EXAMPLE)
        .assertNoInternals();
    http.send("POST", "/orders", "{\"symbol\":{\"a\":1},\"side\":\"BUY\",\"qty\":1}")
        .assertProblem(
            400, "Invalid order", "symbol has the wrong type: send JSON like " + ORDER_EXAMPLE)
        .assertNoInternals();
  }

  @Test
  void whenTheOrderIsNotJsonThenTheReasonShowsAnOrder() {
    for (String body : new String[] {"{\"symbol\":", "not json", orderWithQty("NaN"), "[1,2]"}) {
      http.send("POST", "/orders", body)
          .assertProblem(
              400,
              "Invalid order",
              "the body is not a valid order: send JSON like " + ORDER_EXAMPLE)
          .assertNoInternals();
    }
  }

  @Test
  void whenTheSymbolIsHugeThenTheReasonDoesNotEchoIt() {
    Answer refused =
        http.send(
            "POST",
            "/orders",
            "{\"symbol\":\"" + "X".repeat(100_000) + "\",\"side\":\"BUY\",\"qty\":1}");
    refused.assertProblem(400, "Invalid order", "symbol must look like BTC-USD");
    assertThat(refused.body().length()).isLessThan(400);
  }

  @Test
  void whenTheOrderToCancelIsUnknownThenTheAnswerIs404() {
    http.send("DELETE", "/orders/does-not-exist", null)
        .assertProblem(404, "Order not found", "order 'does-not-exist' not found")
        .assertNoInternals();
  }

  @Test
  void whenAnOrderIsCancelledTwiceThenTheSecondAnswerIs404() {
    String id = http.send("POST", "/orders", ORDER_EXAMPLE).json().get("id").asString();
    assertThat(http.send("DELETE", "/orders/" + id, null).status()).isEqualTo(200);
    http.send("DELETE", "/orders/" + id, null)
        .assertProblem(404, "Order not found", "order '" + id + "' not found");
  }

  @Test
  void whenTheUnknownIdIsHugeThenThe404EchoesOnlyItsStart() {
    Answer missing = http.send("DELETE", "/orders/" + "a".repeat(5_000), null);
    missing.assertProblem(404, "Order not found", "order '" + "a".repeat(40) + "…' not found");
    assertThat(missing.json().get("instance").asString())
        .isEqualTo("/orders/" + "a".repeat(92) + "...");
    assertThat(missing.body().length()).isLessThan(400);
  }

  @Test
  void whenTheExchangeFailsWithAnotherStatusThenTheAnswerStays502() {
    operator.send("PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":1.0,\"latencyMs\":0}");
    Answer failed = http.send("DELETE", "/orders/does-not-exist", null);
    failed.assertProblem(502, "Exchange failure", "the exchange answered 503").assertNoInternals();
    assertThat(failed.json().get("exchangeStatus").asInt()).isEqualTo(503);
  }

  @Test
  void whenTheExchangeAnswers404ToAnythingButACancelThenTheAnswerStays502() {
    operator.send("PUT", "/sim/chaos", "{\"status\":404,\"failureRate\":1.0,\"latencyMs\":0}");
    Answer failed = http.send("POST", "/orders", ORDER_EXAMPLE);
    failed.assertProblem(502, "Exchange failure", "the exchange answered 404").assertNoInternals();
    assertThat(failed.json().get("exchangeStatus").asInt()).isEqualTo(404);
  }

  @Test
  void whenTheExchangeAnswersAfterTheReadTimeoutThenTheAnswerSaysSoWithoutInternals() {
    assertThat(
            operator
                .send(
                    "PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":0.0,\"latencyMs\":2500}")
                .status())
        .isEqualTo(200);
    http.get("/exchange/health")
        .assertProblem(502, "Exchange failure", "the exchange did not answer in time")
        .assertNoInternals();
  }

  @Test
  void whenTheChaosSettingIsNotJsonThenTheReasonShowsAChaosSetting() {
    Answer refused = operator.send("PUT", "/sim/chaos", "{\"status\":");
    refused
        .assertProblem(
            400,
            "Invalid chaos setting",
            "the body is not a valid chaos setting: send JSON like " + CHAOS_EXAMPLE)
        .assertNoInternals();
    assertThat(refused.body()).doesNotContainIgnoringCase("order");
  }

  @Test
  void whenTheChaosSettingIsOutOfRangeThenTheReasonNamesTheFieldAndItsRange() {
    operator
        .send("PUT", "/sim/chaos", "{\"status\":200,\"failureRate\":1.0,\"latencyMs\":0}")
        .assertProblem(400, "Invalid chaos setting", "status must be between 400 and 599");
    operator
        .send("PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":\"NaN\",\"latencyMs\":0}")
        .assertProblem(400, "Invalid chaos setting", "failureRate must be between 0.0 and 1.0");
    operator
        .send("PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":1e309,\"latencyMs\":-1}")
        .assertProblem(
            400,
            "Invalid chaos setting",
            "failureRate must be between 0.0 and 1.0; latencyMs must be between 0 and 30000");
    operator
        .send(
            "PUT",
            "/sim/chaos",
            "{\"status\":429,\"failureRate\":1.0,\"latencyMs\":0,\"retryAfterSeconds\":0}")
        .assertProblem(
            400, "Invalid chaos setting", "retryAfterSeconds must be between 1 and 3600");
    operator
        .send(
            "PUT",
            "/sim/chaos",
            "{\"status\":503,\"failureRate\":0,\"latencyMs\":50,\"capacity\":0}")
        .assertProblem(400, "Invalid chaos setting", "capacity must be between 1 and 1000");
    operator
        .send(
            "PUT",
            "/sim/chaos",
            "{\"status\":503,\"failureRate\":0,\"latencyMs\":50,\"capacity\":1001}")
        .assertProblem(400, "Invalid chaos setting", "capacity must be between 1 and 1000");
  }

  @Test
  void whenTheChaosSettingHasAnUnknownFieldThenItIsRefusedNamingTheField() {
    operator
        .send(
            "PUT",
            "/sim/chaos",
            "{\"status\":503,\"failureRate\":1.0,\"latencyMs\":0,\"latency\":100}")
        .assertProblem(
            400,
            "Invalid chaos setting",
            "unknown field 'latency': a chaos setting has only status, failureRate, latencyMs,"
                + " retryAfterSeconds and capacity");
  }

  @Test
  void whenTheChaosSettingMissesAFieldThenItIsRefusedNamingTheField() {
    operator
        .send("PUT", "/sim/chaos", "{\"status\":503,\"latencyMs\":0}")
        .assertProblem(
            400,
            "Invalid chaos setting",
            "failureRate must be given: send JSON like " + CHAOS_EXAMPLE);
    operator
        .send("PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":null,\"latencyMs\":0}")
        .assertProblem(
            400,
            "Invalid chaos setting",
            "failureRate must be given: send JSON like " + CHAOS_EXAMPLE);
    operator
        .send("PUT", "/sim/chaos", "{\"status\":503,\"failureRate\":\"often\",\"latencyMs\":0}")
        .assertProblem(
            400,
            "Invalid chaos setting",
            "failureRate has the wrong type: send JSON like " + CHAOS_EXAMPLE);
  }

  @Test
  void whenTheActuatorGetsMalformedJsonThenItsAnswerDoesNotTalkAboutOrders() {
    Answer refused = operator.send("POST", "/actuator/resilience/exchange", "{\"action\":");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).doesNotContainIgnoringCase("order");
    refused.assertNoInternals();
  }

  @Test
  void whenNoHandlerAnswersAHugePathThenSpringBootsAnswerRepeatsOnlyItsStart() {
    Answer notAllowed = http.get("/orders/" + "a".repeat(7_000));
    assertThat(notAllowed.status()).isEqualTo(405);
    assertThat(notAllowed.json().get("path").asString())
        .isEqualTo("/orders/" + "a".repeat(92) + "...");
    assertThat(notAllowed.body().length()).isLessThan(400);

    Answer unknown = http.get("/" + "b".repeat(7_000));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("path").asString()).isEqualTo("/" + "b".repeat(99) + "...");
  }

  @Test
  void whenAHugePathIsCutThenAnEscapeIsNotCutInHalf() {
    // "/orders/" is 8 characters: the escape %20 would straddle the 100th character
    Answer missing = http.send("DELETE", "/orders/" + "a".repeat(90) + " " + "a".repeat(50), null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("instance").asString())
        .isEqualTo("/orders/" + "a".repeat(90) + "...");
  }
}
