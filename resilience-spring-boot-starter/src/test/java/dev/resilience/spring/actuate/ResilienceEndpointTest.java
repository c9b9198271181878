package dev.resilience.spring.actuate;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/** What the endpoint's operations answer, field by field, over a registry driven by a fake ticker. */
class ResilienceEndpointTest {

  /** The wall-clock time of the ticker's first reading; the breakers are created then. */
  private static final Instant START = Instant.parse("2026-11-22T10:15:30Z");

  private final TestTicker ticker = new TestTicker();
  private final long tickerStart = ticker.read();
  private ResilienceRegistry registry;
  private ResilienceEndpoint endpoint;

  @BeforeEach
  void setUp() {
    registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .circuitBreakerOverride(
                "exchange",
                CircuitBreakerConfig.builder()
                    .window(Duration.ofSeconds(60))
                    .failThreshold(10)
                    .cooldown(Duration.ofSeconds(30))
                    .minDwell(Duration.ofSeconds(20))
                    .probeCount(2)
                    .failureRateThreshold(50.0)
                    .minimumCalls(5)
                    .slowCallDuration(Duration.ofSeconds(2))
                    .weight("timeout", 2.0)
                    .build())
            .rateLimiterOverride("place_order", new RateLimiterConfig(5, 10, Duration.ofSeconds(1)))
            .build();
    registry.guard("place_order", "exchange", false);
    registry.guard("health", "exchange", true);
    registry.guard("cancel_all", "exchange", true);
    registry.guard("quote", "quote", false); // a breaker and an endpoint of the same name
    endpoint = new ResilienceEndpoint(registry, new TickerClock());
  }

  /** Two 503s, one timeout (weight 2.0) and one success on place_order, then 100 ms pass. */
  private void someTrafficOnPlaceOrder() {
    Guard placeOrder = registry.guards().get("place_order");
    for (String code : List.of("503", "timeout", "503")) {
      placeOrder.admit().failed(code);
    }
    placeOrder.admit().succeeded();
    ticker.advance(Duration.ofMillis(100));
  }

  @Test
  void whenNoTrafficYetThenEveryBreakerAndEndpointIsListedWithItsConfig() {
    Map<String, Object> all = endpoint.all();

    assertThat(all).containsOnlyKeys("breakers", "rateLimiters");
    assertThat(map(all.get("breakers"))).containsOnlyKeys("exchange", "quote");
    assertThat(map(all.get("rateLimiters"))).containsOnlyKeys("cancel_all", "health", "place_order", "quote");
    assertThat(map(map(all.get("breakers")).get("exchange")))
        .isEqualTo(
            Map.ofEntries(
                entry("state", "CLOSED"),
                entry("forced", false),
                entry("since", "2026-11-22T10:15:30Z"),
                entry("failuresInWindow", 0.0),
                entry("callsInWindow", 0L),
                entry("failureCodes", Map.of()),
                entry("retryAfterMs", 0L),
                entry("endpoints", List.of("cancel_all", "health", "place_order")),
                entry(
                    "config",
                    Map.ofEntries(
                        entry("windowMs", 60_000L),
                        entry("failThreshold", 10),
                        entry("cooldownMs", 30_000L),
                        entry("minDwellMs", 20_000L),
                        entry("probeCount", 2),
                        entry("minimumCalls", 5),
                        entry("failureRateThreshold", 50.0),
                        entry("slowCallDurationMs", 2_000L),
                        entry("weights", Map.of("timeout", 2.0))))));
    assertThat(map(map(all.get("rateLimiters")).get("place_order")))
        .isEqualTo(
            Map.of(
                "availableTokens", 10.0,
                "breaker", "exchange",
                "allowlist", false,
                "config", Map.of("capacityPerSecond", 5.0, "burst", 10, "maxWaitMs", 1_000L)));
  }

  @Test
  void whenFailuresWereRecordedThenTheBreakerShowsThemByCodeWithTheirWeights() {
    ticker.advance(Duration.ofMillis(1_400));
    someTrafficOnPlaceOrder();

    Map<String, Object> exchange = map(map(endpoint.all().get("breakers")).get("exchange"));

    assertThat(exchange)
        .containsEntry("state", "CLOSED")
        .containsEntry("forced", false)
        .containsEntry("since", "2026-11-22T10:15:30Z")
        .containsEntry("failuresInWindow", 4.0)
        .containsEntry("callsInWindow", 4L)
        .containsEntry("failureCodes", Map.of("503", 2L, "timeout", 1L))
        .containsEntry("retryAfterMs", 0L);
    assertThat(map(map(endpoint.all().get("rateLimiters")).get("place_order")))
        .containsEntry("availableTokens", 6.5);
  }

  @Test
  void whenForcedOpenThenStateSinceAndRetryAfterShowItAndTheWindowIsKept() {
    someTrafficOnPlaceOrder();
    ticker.advance(Duration.ofMillis(1_400));
    registry.circuitBreaker("exchange").forceOpen();
    ticker.advance(Duration.ofMillis(250));

    Map<String, Object> exchange = map(map(endpoint.all().get("breakers")).get("exchange"));

    assertThat(exchange)
        .containsEntry("state", "OPEN")
        .containsEntry("forced", true)
        .containsEntry("since", "2026-11-22T10:15:31.500Z")
        .containsEntry("failuresInWindow", 4.0)
        .containsEntry("callsInWindow", 4L)
        .containsEntry("retryAfterMs", 30_000L);
  }

  @Test
  void whenABreakerHasNoOptionalSettingsThenItsConfigOmitsThemAndTheDefaultsShow() {
    Map<String, Object> quote = map(map(endpoint.all().get("breakers")).get("quote"));

    assertThat(quote).containsEntry("endpoints", List.of("quote"));
    assertThat(map(quote.get("config")))
        .isEqualTo(
            Map.of(
                "windowMs", 60_000L,
                "failThreshold", 10,
                "cooldownMs", 30_000L,
                "minDwellMs", 30_000L,
                "probeCount", 1,
                "minimumCalls", 20,
                "weights", Map.of()));
  }

  @Test
  void whenAnEndpointIsAllowlistedThenItsBucketSaysSoAndNamesItsBreaker() {
    Map<String, Object> health = map(map(endpoint.all().get("rateLimiters")).get("health"));

    assertThat(health)
        .isEqualTo(
            Map.of(
                "availableTokens", 16.0,
                "breaker", "exchange",
                "allowlist", true,
                "config", Map.of("capacityPerSecond", 8.0, "burst", 16, "maxWaitMs", 1_000L)));
  }

  @Test
  void whenABucketWasCreatedOutsideAnyGuardThenItIsListedWithoutABreaker() {
    registry.rateLimiter("batch_import");

    Map<String, Object> batch = map(map(endpoint.all().get("rateLimiters")).get("batch_import"));

    assertThat(batch).doesNotContainKey("breaker").containsEntry("allowlist", false).containsEntry("availableTokens", 16.0);
  }

  @Test
  void whenReadByABreakerNameThenOnlyTheBreakerIsAnswered() {
    someTrafficOnPlaceOrder();

    WebEndpointResponse<Map<String, Object>> answer = endpoint.named("exchange");

    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody()).containsOnlyKeys("breaker");
    assertThat(map(answer.getBody().get("breaker"))).isEqualTo(map(endpoint.all().get("breakers")).get("exchange"));
  }

  @Test
  void whenReadByAnEndpointNameThenOnlyItsBucketIsAnswered() {
    WebEndpointResponse<Map<String, Object>> answer = endpoint.named("place_order");

    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody()).containsOnlyKeys("rateLimiter");
    assertThat(map(answer.getBody().get("rateLimiter"))).isEqualTo(map(endpoint.all().get("rateLimiters")).get("place_order"));
  }

  @Test
  void whenANameIsBothABreakerAndAnEndpointThenBothAreAnswered() {
    WebEndpointResponse<Map<String, Object>> answer = endpoint.named("quote");

    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody()).containsOnlyKeys("breaker", "rateLimiter");
    assertThat(map(answer.getBody().get("breaker"))).containsEntry("endpoints", List.of("quote"));
    assertThat(map(answer.getBody().get("rateLimiter"))).containsEntry("breaker", "quote");
  }

  @Test
  void whenReadByAnUnknownNameThenTheAnswerIs404() {
    WebEndpointResponse<Map<String, Object>> answer = endpoint.named("nope");

    assertThat(answer.getStatus()).isEqualTo(404);
    assertThat(answer.getBody()).isNull();
  }

  @Test
  void whenOpenIsRequestedThenTheBreakerIsForcedOpenAndAnsweredAsItIsNow() {
    WebEndpointResponse<Map<String, Object>> answer = endpoint.force("exchange", "open");

    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.OPEN);
    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody()).containsOnlyKeys("breaker");
    assertThat(map(answer.getBody().get("breaker")))
        .containsEntry("state", "OPEN")
        .containsEntry("forced", true)
        .containsEntry("retryAfterMs", 30_000L)
        .containsEntry("endpoints", List.of("cancel_all", "health", "place_order"));
  }

  @Test
  void whenCloseIsRequestedThenTheBreakerClosesKeepingItsWindow() {
    someTrafficOnPlaceOrder();
    registry.circuitBreaker("exchange").forceOpen();

    WebEndpointResponse<Map<String, Object>> answer = endpoint.force("exchange", "close");

    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(map(answer.getBody().get("breaker")))
        .containsEntry("state", "CLOSED")
        .containsEntry("forced", false)
        .containsEntry("failuresInWindow", 4.0)
        .containsEntry("callsInWindow", 4L);
  }

  @Test
  void whenResetIsRequestedThenTheBreakerClosesWithAnEmptyWindow() {
    someTrafficOnPlaceOrder();
    registry.circuitBreaker("exchange").forceOpen();

    WebEndpointResponse<Map<String, Object>> answer = endpoint.force("exchange", "reset");

    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(map(answer.getBody().get("breaker")))
        .containsEntry("state", "CLOSED")
        .containsEntry("failuresInWindow", 0.0)
        .containsEntry("callsInWindow", 0L)
        .containsEntry("failureCodes", Map.of());
  }

  @Test
  void whenAnUnknownActionIsRequestedThenTheAnswerIs400NamingTheAllowedOnesAndNothingChanges() {
    WebEndpointResponse<Map<String, Object>> answer = endpoint.force("exchange", "explode");

    assertThat(answer.getStatus()).isEqualTo(400);
    assertThat(answer.getBody())
        .containsEntry("allowedActions", List.of("open", "close", "reset"))
        .containsEntry("message", "Unknown action 'explode': the action must be one of open, close, reset");
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void whenAnUnknownBreakerIsForcedThenTheAnswerIs404AndNoBreakerIsCreated() {
    WebEndpointResponse<Map<String, Object>> answer = endpoint.force("nope", "open");

    assertThat(answer.getStatus()).isEqualTo(404);
    assertThat(registry.findCircuitBreaker("nope")).isNull();
  }

  @Test
  void whenAnEndpointThatIsNotABreakerIsForcedThenTheAnswerIs404() {
    WebEndpointResponse<Map<String, Object>> answer = endpoint.force("place_order", "open");

    assertThat(answer.getStatus()).isEqualTo(404);
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  /** A wall clock that reads {@link #START} at the ticker's first reading and moves with it. */
  private final class TickerClock extends Clock {

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
}
