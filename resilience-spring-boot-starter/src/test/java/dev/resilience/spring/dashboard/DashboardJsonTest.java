package dev.resilience.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.dashboard.DashboardJson.Adaptive;
import dev.resilience.spring.dashboard.DashboardJson.Breaker;
import dev.resilience.spring.dashboard.DashboardJson.Bucket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream's JSON, field by field. */
class DashboardJsonTest {

  private static final Adaptive DROPPED =
      new Adaptive("place_order", 9, 2, 1, 20, 10, 9, "drop: 503", "2026-11-26T18:00:01.250Z");

  @Test
  void whenAnAdaptiveLimitMovedThenItsMessageHasTheLimitInFlightBoundsAndWhyItMoved() {
    assertThat(DashboardJson.adaptive(List.of(DROPPED)))
        .isEqualTo(
            "[{\"name\":\"place_order\",\"limit\":9,\"inFlight\":2,\"minLimit\":1,\"maxLimit\":20,"
                + "\"lastChange\":{\"from\":10,\"to\":9,\"reason\":\"drop: 503\","
                + "\"time\":\"2026-11-26T18:00:01.250Z\"}}]");
  }

  @Test
  void whenNoLimitIsAdaptiveThenTheSnapshotListsNone() {
    assertThat(
            DashboardJson.snapshot(
                List.of(new Breaker("exchange", "CLOSED", false)),
                List.of(new Bucket("place_order", 7.5, 10, 5.0)),
                List.of(),
                List.of()))
        .isEqualTo(
            "{\"breakers\":[{\"name\":\"exchange\",\"state\":\"CLOSED\",\"forced\":false}],"
                + "\"buckets\":[{\"name\":\"place_order\",\"availableTokens\":7.5,\"burst\":10,"
                + "\"capacityPerSecond\":5.0}],\"adaptive\":[],\"events\":[]}");
  }

  @Test
  void whenLimitsAreAdaptiveThenTheSnapshotListsEachInOrderWithItsNameEscaped() {
    Adaptive initial =
        new Adaptive("<inbound>", 20, 0, 1, 200, 20, 20, "initial", "2026-11-26T18:00:00Z");

    assertThat(DashboardJson.snapshot(List.of(), List.of(), List.of(initial, DROPPED), List.of()))
        .isEqualTo(
            "{\"breakers\":[],\"buckets\":[],\"adaptive\":["
                + "{\"name\":\"\\u003cinbound\\u003e\",\"limit\":20,\"inFlight\":0,\"minLimit\":1,"
                + "\"maxLimit\":200,\"lastChange\":{\"from\":20,\"to\":20,\"reason\":\"initial\","
                + "\"time\":\"2026-11-26T18:00:00Z\"}},"
                + "{\"name\":\"place_order\",\"limit\":9,\"inFlight\":2,\"minLimit\":1,"
                + "\"maxLimit\":20,\"lastChange\":{\"from\":10,\"to\":9,\"reason\":\"drop: 503\","
                + "\"time\":\"2026-11-26T18:00:01.250Z\"}}],\"events\":[]}");
  }
}
