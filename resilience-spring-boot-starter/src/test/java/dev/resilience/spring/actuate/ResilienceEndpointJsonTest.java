package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The exact JSON of every operation of {@code /actuator/resilience} over real HTTP, byte for byte:
 * field names, field order, which optional fields appear, number types. Recorded from the endpoint
 * as it was before its answers became typed descriptors, and kept unchanged since, so that any
 * change an operator's script or dashboard could notice shows up here.
 *
 * <p>Time is a fake ticker and the endpoint's wall clock moves with it, so every {@code since},
 * {@code retryAfterMs} and {@code availableTokens} is exact.
 */
@SpringBootTest(
    classes = ResilienceEndpointJsonTest.RecordedApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=resilience",
      "management.endpoint.resilience.access=unrestricted",
      "resilience.breaker.endpoint-overrides.exchange.min-dwell=20s",
      "resilience.breaker.endpoint-overrides.exchange.probe-count=2",
      "resilience.breaker.endpoint-overrides.exchange.minimum-calls=5",
      "resilience.breaker.endpoint-overrides.exchange.failure-rate-threshold=50",
      "resilience.breaker.endpoint-overrides.exchange.slow-call-duration=2s",
      "resilience.breaker.endpoint-overrides.exchange.weights.timeout=2.0",
      "resilience.rate-limiter.endpoint-overrides.place_order.capacity-per-second=5",
      "resilience.rate-limiter.endpoint-overrides.place_order.burst=10"
    })
class ResilienceEndpointJsonTest {

  /** The wall-clock time of the ticker's first reading, when every declared breaker is created. */
  private static final Instant START = Instant.parse("2026-11-22T10:15:30Z");

  private static final String ACTUATOR_JSON = "application/vnd.spring-boot.actuator.v3+json";

  /**
   * Three endpoints on breaker {@code exchange}, one endpoint and breaker both named {@code quote};
   * the endpoint dates states by a clock that moves with the fake ticker.
   */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({TradingClient.class, QuoteClient.class})
  static class RecordedApplication {

    @Bean
    TestTicker testTicker() {
      return new TestTicker();
    }

    @Bean
    ResilienceEndpoint resilienceEndpoint(ResilienceRegistry registry, TestTicker ticker) {
      return new ResilienceEndpoint(registry, new TickerClock(ticker));
    }
  }

  /** A wall clock that reads {@link #START} at the ticker's first reading and moves with it. */
  private static final class TickerClock extends Clock {

    private final TestTicker ticker;
    private final long tickerStart;

    TickerClock(TestTicker ticker) {
      this.ticker = ticker;
      this.tickerStart = ticker.read();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return START.plusNanos(ticker.read() - tickerStart);
    }
  }

  record Answer(
      int status, @org.jspecify.annotations.Nullable MediaType contentType, String body) {}

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @Autowired TestTicker ticker;

  private Answer get(String path) {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri(path)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders().getContentType(),
                    new String(response.getBody().readAllBytes())));
  }

  private Answer post(String path, String json) {
    return RestClient.create("http://localhost:" + port)
        .post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .body(json)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders().getContentType(),
                    new String(response.getBody().readAllBytes())));
  }

  /**
   * Checks status, content type and body; {@code json} is one JSON text written over several lines.
   */
  private static void assertAnswer(String step, Answer answer, int status, String json) {
    assertThat(answer.status()).as(step + ": status").isEqualTo(status);
    assertThat(answer.contentType())
        .as(step + ": content type")
        .isEqualTo(MediaType.parseMediaType(ACTUATOR_JSON));
    assertThat(answer.body()).as(step + ": body").isEqualTo(json.replaceAll("\\R\\s*", ""));
  }

  private static final String EXCHANGE_CONFIG =
      """
      "config":{"windowMs":60000,"failThreshold":10,"cooldownMs":30000,"minDwellMs":20000,"probeCount":2,
        "minimumCalls":5,"failureRateThreshold":50.0,"slowCallDurationMs":2000,"weights":{"timeout":2.0}}""";

  private static final String EXCHANGE_ENDPOINTS =
      "\"endpoints\":[\"cancel_order\",\"health\",\"place_order\"]";

  private static final String QUOTE_BREAKER =
      """
      {"state":"CLOSED","forced":false,"since":"2026-11-22T10:15:30Z","failuresInWindow":0.0,"callsInWindow":0,
        "failureCodes":{},"retryAfterMs":0,"endpoints":["quote"],
        "config":{"windowMs":60000,"failThreshold":10,"cooldownMs":30000,"minDwellMs":30000,"probeCount":1,
          "minimumCalls":20,"weights":{}}}""";

  private static final String DEFAULT_BUCKET_CONFIG =
      "\"overridden\":false,\"config\":{\"capacityPerSecond\":8.0,\"burst\":16,\"maxWaitMs\":1000}";

  @Test
  void whenEveryOperationIsCalledThenEachAnswersExactlyTheRecordedJson() {
    registry.rateLimiter("batch_import"); // a bucket outside any guard: listed without a breaker
    Guard placeOrder = registry.guards().get("place_order");
    for (String code : List.of("503", "timeout", "503")) {
      placeOrder.admit().failed(code);
    }
    placeOrder.admit().succeeded();
    ticker.advance(Duration.ofMillis(100));
    String exchangeClosed =
        """
        {"state":"CLOSED","forced":false,"since":"2026-11-22T10:15:30Z","failuresInWindow":4.0,"callsInWindow":4,
          "failureCodes":{"503":2,"timeout":1},"retryAfterMs":0,
        """
            + EXCHANGE_ENDPOINTS
            + ","
            + EXCHANGE_CONFIG
            + "}";
    String placeOrderBucket =
        """
        {"availableTokens":6.5,"breaker":"exchange","allowlist":false,"keyed":false,"overridden":false,
          "config":{"capacityPerSecond":5.0,"burst":10,"maxWaitMs":1000}}""";
    String quoteBucket =
        "{\"availableTokens\":16.0,\"breaker\":\"quote\",\"allowlist\":false,\"keyed\":false,"
            + DEFAULT_BUCKET_CONFIG
            + "}";
    String batchImportBucket =
        "{\"availableTokens\":16.0,\"allowlist\":false,\"keyed\":false,"
            + DEFAULT_BUCKET_CONFIG
            + "}";

    assertAnswer(
        "GET all",
        get("/actuator/resilience"),
        200,
        """
        {"breakers":{"exchange":%s,"quote":%s},
          "rateLimiters":{"batch_import":%s,
            "cancel_order":{"availableTokens":16.0,"breaker":"exchange","allowlist":false,"keyed":false,%s},
            "health":{"availableTokens":16.0,"breaker":"exchange","allowlist":true,"keyed":false,%s},
            "place_order":%s,"quote":%s},
          "inboundRules":{},
          "rateLimitBackend":{"name":"local","degraded":false}}"""
            .formatted(
                exchangeClosed,
                QUOTE_BREAKER,
                batchImportBucket,
                DEFAULT_BUCKET_CONFIG,
                DEFAULT_BUCKET_CONFIG,
                placeOrderBucket,
                quoteBucket));
    assertAnswer(
        "GET a breaker",
        get("/actuator/resilience/exchange"),
        200,
        "{\"breaker\":" + exchangeClosed + "}");
    assertAnswer(
        "GET an endpoint",
        get("/actuator/resilience/place_order"),
        200,
        "{\"rateLimiter\":" + placeOrderBucket + "}");
    assertAnswer(
        "GET a name that is both",
        get("/actuator/resilience/quote"),
        200,
        "{\"breaker\":" + QUOTE_BREAKER + ",\"rateLimiter\":" + quoteBucket + "}");
    assertAnswer(
        "GET a bucket outside any guard",
        get("/actuator/resilience/batch_import"),
        200,
        "{\"rateLimiter\":" + batchImportBucket + "}");
    Answer unknown = get("/actuator/resilience/nope");
    assertThat(unknown.status()).as("GET an unknown name: status").isEqualTo(404);
    assertThat(unknown.contentType()).as("GET an unknown name: content type").isNull();
    assertThat(unknown.body()).as("GET an unknown name: body").isEmpty();

    String exchangeForcedOpen =
        """
        {"breaker":{"state":"OPEN","forced":true,"since":"2026-11-22T10:15:30.100Z","failuresInWindow":4.0,
          "callsInWindow":4,"failureCodes":{"503":2,"timeout":1},"retryAfterMs":30000,
        """
            + EXCHANGE_ENDPOINTS
            + ","
            + EXCHANGE_CONFIG
            + "}}";
    assertAnswer(
        "POST open",
        post("/actuator/resilience/exchange", "{\"action\":\"open\"}"),
        200,
        exchangeForcedOpen);
    ticker.advance(Duration.ofMillis(250));
    // a forced OPEN lets no probe through, so it always says one cooldown
    assertAnswer(
        "GET a forced-open breaker later",
        get("/actuator/resilience/exchange"),
        200,
        exchangeForcedOpen);

    assertAnswer(
        "POST close",
        post("/actuator/resilience/exchange", "{\"action\":\"close\"}"),
        200,
        """
        {"breaker":{"state":"CLOSED","forced":false,"since":"2026-11-22T10:15:30.350Z","failuresInWindow":4.0,
          "callsInWindow":4,"failureCodes":{"503":2,"timeout":1},"retryAfterMs":0,
        """
            + EXCHANGE_ENDPOINTS
            + ","
            + EXCHANGE_CONFIG
            + "}}");
    ticker.advance(Duration.ofMillis(50));
    // reset empties the window of a breaker that is already CLOSED; its state, and so since, stay
    assertAnswer(
        "POST reset",
        post("/actuator/resilience/exchange", "{\"action\":\"reset\"}"),
        200,
        """
        {"breaker":{"state":"CLOSED","forced":false,"since":"2026-11-22T10:15:30.350Z","failuresInWindow":0.0,
          "callsInWindow":0,"failureCodes":{},"retryAfterMs":0,
        """
            + EXCHANGE_ENDPOINTS
            + ","
            + EXCHANGE_CONFIG
            + "}}");

    assertAnswer(
        "POST an unknown action",
        post("/actuator/resilience/exchange", "{\"action\":\"explode\"}"),
        400,
        """
        {"message":"Unknown action 'explode': the action must be one of open, close, reset, limit, restore",
          "allowedActions":["open","close","reset","limit","restore"]}""");
    assertAnswer(
        "POST to an unknown breaker",
        post("/actuator/resilience/nope", "{\"action\":\"open\"}"),
        404,
        "{\"message\":\"No circuit breaker is named 'nope'\"}");
  }
}
