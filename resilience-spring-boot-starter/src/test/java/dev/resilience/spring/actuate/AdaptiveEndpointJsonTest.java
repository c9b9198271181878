package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rate limiter entry of an endpoint with an adaptive limit carries an {@code adaptive} object
 * (limit, calls in flight, algorithm, bounds, and the last change dated on the wall clock as {@code
 * since} is); an endpoint without one has no such field.
 */
class AdaptiveEndpointJsonTest {

  @Test
  void whenTheLimitMovedThenTheEntryShowsItAndWhyDatedOnTheWallClock() {
    TestTicker ticker = new TestTicker();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .adaptiveLimitOverride(
                "place_order", AdaptiveLimitConfig.defaults().withLimits(2, 40, 13))
            .build();
    Guard placeOrder = registry.guard("place_order", "exchange", false);
    registry.guard("quote", "exchange", false);
    List<GuardedCall> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(placeOrder.admit());
    }
    ticker.advance(Duration.ofMillis(30));
    calls.get(0).failed("503");
    ticker.advance(Duration.ofMillis(1_500));
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:15:30Z"), ZoneOffset.UTC);
    JsonMapper json = JsonMapper.builder().build();

    var rateLimiters = new ResilienceEndpoint(registry, clock).all().rateLimiters();

    assertThat(json.writeValueAsString(rateLimiters.get("place_order").adaptive()))
        .isEqualTo(
            "{\"limit\":11,\"inFlight\":3,\"algorithm\":\"aimd\",\"minLimit\":2,\"maxLimit\":40,"
                + "\"lastChange\":{\"from\":13,\"to\":11,\"reason\":\"drop: 503\","
                + "\"time\":\"2026-11-22T10:15:28.500Z\"}}");
    assertThat(json.writeValueAsString(rateLimiters.get("place_order")))
        .contains(",\"adaptive\":{\"limit\":11,");
    assertThat(json.writeValueAsString(rateLimiters.get("quote"))).doesNotContain("adaptive");
    calls.subList(1, 4).forEach(GuardedCall::abandoned);
  }
}
