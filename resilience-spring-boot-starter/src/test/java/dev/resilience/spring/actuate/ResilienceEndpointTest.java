package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.actuate.ResilienceEndpoint.BreakerConfigDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.BreakerDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.ErrorDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.NamedDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.RateLimiterConfigDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.RateLimiterDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.ResilienceDescriptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * What the endpoint's operations answer, field by field, over a registry driven by a fake ticker.
 */
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
    ResilienceDescriptor all = endpoint.all();

    assertThat(all.breakers()).containsOnlyKeys("exchange", "quote");
    assertThat(all.rateLimiters()).containsOnlyKeys("cancel_all", "health", "place_order", "quote");
    assertThat(all.breakers().get("exchange"))
        .isEqualTo(
            new BreakerDescriptor(
                CircuitState.CLOSED,
                false,
                "2026-11-22T10:15:30Z",
                0.0,
                0L,
                Map.of(),
                0L,
                List.of("cancel_all", "health", "place_order"),
                new BreakerConfigDescriptor(
                    60_000L, 10, 30_000L, 20_000L, 2, 5, 50.0, 2_000L, Map.of("timeout", 2.0))));
    assertThat(all.rateLimiters().get("place_order"))
        .isEqualTo(
            new RateLimiterDescriptor(
                10.0,
                null,
                "exchange",
                false,
                false,
                null,
                null,
                null,
                false,
                new RateLimiterConfigDescriptor(5.0, 10, 1_000L),
                null));
  }

  @Test
  void whenFailuresWereRecordedThenTheBreakerShowsThemByCodeWithTheirWeights() {
    ticker.advance(Duration.ofMillis(1_400));
    someTrafficOnPlaceOrder();

    BreakerDescriptor exchange = endpoint.all().breakers().get("exchange");

    assertThat(exchange.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(exchange.forced()).isFalse();
    assertThat(exchange.since()).isEqualTo("2026-11-22T10:15:30Z");
    assertThat(exchange.failuresInWindow()).isEqualTo(4.0);
    assertThat(exchange.callsInWindow()).isEqualTo(4L);
    assertThat(exchange.failureCodes()).isEqualTo(Map.of("503", 2L, "timeout", 1L));
    assertThat(exchange.retryAfterMs()).isZero();
    assertThat(endpoint.all().rateLimiters().get("place_order").availableTokens()).isEqualTo(6.5);
  }

  @Test
  void whenForcedOpenThenStateSinceAndRetryAfterShowItAndTheWindowIsKept() {
    someTrafficOnPlaceOrder();
    ticker.advance(Duration.ofMillis(1_400));
    registry.circuitBreaker("exchange").forceOpen();
    ticker.advance(Duration.ofMillis(250));

    BreakerDescriptor exchange = endpoint.all().breakers().get("exchange");

    assertThat(exchange.state()).isEqualTo(CircuitState.OPEN);
    assertThat(exchange.forced()).isTrue();
    assertThat(exchange.since()).isEqualTo("2026-11-22T10:15:31.500Z");
    assertThat(exchange.failuresInWindow()).isEqualTo(4.0);
    assertThat(exchange.callsInWindow()).isEqualTo(4L);
    assertThat(exchange.retryAfterMs())
        .as("a forced OPEN lets no probe through: one cooldown")
        .isEqualTo(30_000L);
  }

  @Test
  void whenAnOpenBreakersCooldownHasPassedThenItReadsHalfOpenWithoutAnyCall() {
    Guard quote = registry.guards().get("quote");
    for (int i = 0; i < 10; i++) {
      quote.admit().failed("503");
    }
    assertThat(endpoint.all().breakers().get("quote").state()).isEqualTo(CircuitState.OPEN);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(endpoint.all().breakers().get("quote").retryAfterMs()).isEqualTo(20_000L);

    ticker.advance(Duration.ofSeconds(20));

    BreakerDescriptor breaker = endpoint.all().breakers().get("quote");
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.since()).isEqualTo("2026-11-22T10:16:00Z");
    assertThat(breaker.retryAfterMs()).isZero();
    assertThat(endpoint.named("quote").getBody().breaker()).isEqualTo(breaker);
  }

  @Test
  void whenABreakerHasNoOptionalSettingsThenItsConfigLeavesThemUnsetAndTheDefaultsShow() {
    BreakerDescriptor quote = endpoint.all().breakers().get("quote");

    assertThat(quote.endpoints()).containsExactly("quote");
    assertThat(quote.config())
        .isEqualTo(
            new BreakerConfigDescriptor(
                60_000L, 10, 30_000L, 30_000L, 1, 20, null, null, Map.of()));
  }

  @Test
  void whenAnEndpointIsAllowlistedThenItsBucketSaysSoAndNamesItsBreaker() {
    assertThat(endpoint.all().rateLimiters().get("health"))
        .isEqualTo(
            new RateLimiterDescriptor(
                16.0,
                null,
                "exchange",
                true,
                false,
                null,
                null,
                null,
                false,
                new RateLimiterConfigDescriptor(8.0, 16, 1_000L),
                null));
  }

  @Test
  void whenABucketWasCreatedOutsideAnyGuardThenItIsListedWithoutABreaker() {
    registry.rateLimiter("batch_import");

    assertThat(endpoint.all().rateLimiters().get("batch_import"))
        .isEqualTo(
            new RateLimiterDescriptor(
                16.0,
                null,
                null,
                false,
                false,
                null,
                null,
                null,
                false,
                new RateLimiterConfigDescriptor(8.0, 16, 1_000L),
                null));
  }

  @Test
  void whenReadByABreakerNameThenOnlyTheBreakerIsAnswered() {
    someTrafficOnPlaceOrder();

    WebEndpointResponse<NamedDescriptor> answer = endpoint.named("exchange");

    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody())
        .isEqualTo(new NamedDescriptor(endpoint.all().breakers().get("exchange"), null, null));
  }

  @Test
  void whenReadByAnEndpointNameThenOnlyItsBucketIsAnswered() {
    WebEndpointResponse<NamedDescriptor> answer = endpoint.named("place_order");

    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody())
        .isEqualTo(
            new NamedDescriptor(null, endpoint.all().rateLimiters().get("place_order"), null));
  }

  @Test
  void whenANameIsBothABreakerAndAnEndpointThenBothAreAnswered() {
    WebEndpointResponse<NamedDescriptor> answer = endpoint.named("quote");

    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody().breaker().endpoints()).containsExactly("quote");
    assertThat(answer.getBody().rateLimiter().breaker()).isEqualTo("quote");
  }

  @Test
  void whenReadByAnUnknownNameThenTheAnswerIs404WithoutABody() {
    WebEndpointResponse<NamedDescriptor> answer = endpoint.named("nope");

    assertThat(answer.getStatus()).isEqualTo(404);
    assertThat(answer.getBody()).isNull();
  }

  @Test
  void whenOpenIsRequestedThenTheBreakerIsForcedOpenAndAnsweredAsItIsNow() {
    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("exchange", "open", null, null, null, null);

    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.OPEN);
    assertThat(answer.getStatus()).isEqualTo(200);
    BreakerDescriptor exchange = forced(answer);
    assertThat(exchange.state()).isEqualTo(CircuitState.OPEN);
    assertThat(exchange.forced()).isTrue();
    assertThat(exchange.retryAfterMs()).isEqualTo(30_000L);
    assertThat(exchange.endpoints()).containsExactly("cancel_all", "health", "place_order");
  }

  @Test
  void whenCloseIsRequestedThenTheBreakerClosesKeepingItsWindow() {
    someTrafficOnPlaceOrder();
    registry.circuitBreaker("exchange").forceOpen();

    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("exchange", "close", null, null, null, null);

    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
    assertThat(answer.getStatus()).isEqualTo(200);
    BreakerDescriptor exchange = forced(answer);
    assertThat(exchange.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(exchange.forced()).isFalse();
    assertThat(exchange.failuresInWindow()).isEqualTo(4.0);
    assertThat(exchange.callsInWindow()).isEqualTo(4L);
  }

  @Test
  void whenResetIsRequestedThenTheBreakerClosesWithAnEmptyWindow() {
    someTrafficOnPlaceOrder();
    registry.circuitBreaker("exchange").forceOpen();

    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("exchange", "reset", null, null, null, null);

    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
    assertThat(answer.getStatus()).isEqualTo(200);
    BreakerDescriptor exchange = forced(answer);
    assertThat(exchange.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(exchange.failuresInWindow()).isZero();
    assertThat(exchange.callsInWindow()).isZero();
    assertThat(exchange.failureCodes()).isEmpty();
  }

  @Test
  void whenAnUnknownActionIsRequestedThenTheAnswerIs400NamingTheAllowedOnesAndNothingChanges() {
    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("exchange", "explode", null, null, null, null);

    assertThat(answer.getStatus()).isEqualTo(400);
    assertThat(answer.getBody())
        .isEqualTo(
            new ErrorDescriptor(
                "Unknown action 'explode': the action must be one of open, close, reset, limit, restore",
                List.of("open", "close", "reset", "limit", "restore")));
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void whenNoActionIsGivenThenTheAnswerIs400SayingWhatTheBodyMustBe() {
    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("exchange", null, null, null, null, null);

    assertThat(answer.getStatus()).isEqualTo(400);
    assertThat(answer.getBody())
        .isEqualTo(
            new ErrorDescriptor(
                "No action: the body must be {\"action\": \"open\"|\"close\"|\"reset\"|\"limit\"|\"restore\"}",
                List.of("open", "close", "reset", "limit", "restore")));
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void whenAnUnknownActionIsLongThenTheAnswerRepeatsItsFirst64CharactersAndItsLength() {
    String action = "open".repeat(16) + "X".repeat(1_000_000);

    ErrorDescriptor error =
        (ErrorDescriptor) endpoint.act("exchange", action, null, null, null, null).getBody();

    assertThat(error.message())
        .isEqualTo(
            "Unknown action '"
                + "open".repeat(16)
                + "…' (1000064 characters): the action must be one of open, close, reset, limit, restore");
  }

  @Test
  void whenAnUnknownActionIs64CharactersLongThenItIsRepeatedWhole() {
    String action = "y".repeat(64);

    ErrorDescriptor error =
        (ErrorDescriptor) endpoint.act("exchange", action, null, null, null, null).getBody();

    assertThat(error.message())
        .isEqualTo(
            "Unknown action '"
                + action
                + "': the action must be one of open, close, reset, limit, restore");
  }

  @Test
  void whenTheCutFallsInsideASurrogatePairThenThePairIsLeftOutWhole() {
    String action = "z".repeat(63) + "\uD83D\uDE00" + "z";

    ErrorDescriptor error =
        (ErrorDescriptor) endpoint.act("exchange", action, null, null, null, null).getBody();

    assertThat(error.message())
        .startsWith("Unknown action '" + "z".repeat(63) + "…' (66 characters)");
  }

  @Test
  void whenAnUnknownBreakerIsForcedThenTheAnswerIs404NamingItAndNoBreakerIsCreated() {
    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("nope", "open", null, null, null, null);

    assertThat(answer.getStatus()).isEqualTo(404);
    assertThat(answer.getBody())
        .isEqualTo(new ErrorDescriptor("No circuit breaker is named 'nope'", null));
    assertThat(registry.findCircuitBreaker("nope")).isNull();
  }

  @Test
  void whenAnEndpointThatIsNotABreakerIsForcedThenTheAnswerIs404() {
    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("place_order", "open", null, null, null, null);

    assertThat(answer.getStatus()).isEqualTo(404);
    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
  }

  /** The breaker a successful force answers. */
  private static BreakerDescriptor forced(WebEndpointResponse<OperationResponseBody> answer) {
    NamedDescriptor named = (NamedDescriptor) answer.getBody();
    assertThat(named.rateLimiter()).isNull();
    return named.breaker();
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
