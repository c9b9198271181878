package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.AdaptiveLimit.Change;
import dev.resilience.core.AdaptiveLimitConfig.Algorithm;
import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {

  private static final long MS = 1_000_000;

  private final FakeTicker ticker = new FakeTicker();

  private AdaptiveLimit aimd(int min, int max, int initial) {
    return AdaptiveLimit.of(
        "quotes", AdaptiveLimitConfig.defaults().withLimits(min, max, initial), ticker);
  }

  @Test
  void whenTheLimitIsInUseThenTryAcquireRejectsWithoutWaiting() {
    AdaptiveLimit limit = aimd(1, 10, 2);
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isFalse();
    assertThat(limit.inFlight()).isEqualTo(2);
    limit.onIgnored();
    assertThat(limit.inFlight()).isEqualTo(1);
    assertThat(limit.tryAcquire()).isTrue();
  }

  @Test
  void whenACallerKeepsSlotsFreeThenItIsAdmittedOnlyWhileThatManyRemainAfterIt() {
    AdaptiveLimit limit = aimd(1, 10, 4);
    assertThat(limit.tryAcquire(2)).isTrue(); // 1 in flight, 3 free
    assertThat(limit.tryAcquire(2)).isTrue(); // 2 in flight, 2 free
    assertThat(limit.tryAcquire(2)).isFalse(); // a third would leave only 1 free
    assertThat(limit.inFlight()).isEqualTo(2);
    assertThat(limit.tryAcquire(0)).isTrue(); // the slots kept free are still there for others
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire(0)).isFalse();
    assertThatThrownBy(() -> limit.tryAcquire(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepFree must be at least 0, not -1");
  }

  @Test
  void whenASuccessEndsWithHalfTheLimitInUseThenTheLimitGrowsByOne() {
    AdaptiveLimit limit = aimd(1, 10, 4);
    limit.tryAcquire();
    limit.tryAcquire();
    ticker.advanceNanos(5 * MS);
    limit.onSuccess(5 * MS); // 2 of 4 in use, this one included
    assertThat(limit.limit()).isEqualTo(5);
    assertThat(limit.lastChange())
        .isEqualTo(new Change(4, 5, "grew: in use 2 of 4", ticker.read()));
    limit.onSuccess(5 * MS); // 1 of 5: less than half, the limit held nothing back
    assertThat(limit.limit()).isEqualTo(5);
    assertThat(limit.inFlight()).isZero();
  }

  @Test
  void whenTheLimitIsAtItsMaximumThenASuccessDoesNotGrowIt() {
    AdaptiveLimit limit = aimd(1, 3, 3);
    limit.tryAcquire();
    limit.tryAcquire();
    limit.onSuccess(MS);
    assertThat(limit.limit()).isEqualTo(3);
    assertThat(limit.lastChange().reason()).isEqualTo("initial");
  }

  @Test
  void whenACallIsDroppedThenTheLimitBacksOffByTheRatioFloored() {
    AdaptiveLimit limit = aimd(1, 100, 25);
    limit.tryAcquire();
    ticker.advanceNanos(10 * MS);
    limit.onDropped(10 * MS, "503");
    assertThat(limit.limit()).isEqualTo(22); // floor(25 * 0.9)
    assertThat(limit.inFlight()).isZero();
    assertThat(limit.lastChange()).isEqualTo(new Change(25, 22, "drop: 503", ticker.read()));
  }

  @Test
  void whenDropsComeFromCallsAdmittedBeforeTheLastDecreaseThenTheyDecreaseOnlyOnce() {
    AdaptiveLimit limit = aimd(1, 100, 20);
    for (int i = 0; i < 20; i++) {
      limit.tryAcquire();
    }
    ticker.advanceNanos(100 * MS);
    for (int i = 0; i < 20; i++) {
      limit.onDropped(100 * MS, "timeout"); // all admitted together, under the limit of 20
    }
    assertThat(limit.limit()).isEqualTo(18);
    assertThat(limit.inFlight()).isZero();

    limit.tryAcquire(); // admitted after the decrease: its drop counts again
    ticker.advanceNanos(100 * MS);
    limit.onDropped(100 * MS, "429");
    assertThat(limit.limit()).isEqualTo(16);
    assertThat(limit.lastChange().reason()).isEqualTo("drop: 429");
  }

  @Test
  void whenDropsKeepComingThenTheLimitStopsAtItsMinimum() {
    AdaptiveLimit limit = aimd(3, 100, 4);
    for (int i = 0; i < 5; i++) {
      limit.tryAcquire();
      ticker.advanceNanos(MS);
      limit.onDropped(MS, "503");
    }
    assertThat(limit.limit()).isEqualTo(3);
  }

  @Test
  void whenTheLimitShrinksThenSlotsHeldStayHeldAndNoneIsAdmittedUntilBelowIt() {
    AdaptiveLimit limit = aimd(1, 100, 10);
    for (int i = 0; i < 10; i++) {
      limit.tryAcquire();
    }
    ticker.advanceNanos(MS);
    limit.onDropped(MS, "503"); // limit 9, 9 in flight
    assertThat(limit.inFlight()).isEqualTo(9);
    assertThat(limit.tryAcquire()).isFalse();
    limit.onIgnored();
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.inFlight()).isEqualTo(9);
  }

  @Test
  void whenNoSlotIsTakenThenAReportIsRefusedNamingTheLimit() {
    AdaptiveLimit limit = aimd(1, 10, 2);
    assertThatThrownBy(limit::onIgnored)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Adaptive limit 'quotes' has no slot taken: report each call exactly once");
    assertThatThrownBy(() -> limit.onSuccess(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> limit.onDropped(1, "503")).isInstanceOf(IllegalStateException.class);
    assertThat(limit.inFlight()).isZero();
  }

  @Test
  void whenTheRoundTripTimeRisesThenTheGradientShrinksTheLimit() {
    AdaptiveLimit limit =
        AdaptiveLimit.of(
            "quotes",
            AdaptiveLimitConfig.defaults().withAlgorithm(Algorithm.GRADIENT).withLimits(1, 200, 50),
            ticker);
    for (int i = 0; i < 200; i++) { // a steady 10 ms with the limit in use: it grows
      saturateAndSucceed(limit, 10 * MS);
    }
    int grown = limit.limit();
    assertThat(grown).isGreaterThan(50);
    assertThat(limit.longRttNanos()).isEqualTo(10 * MS);
    for (int i = 0; i < 50; i++) { // the downstream queues: 20 ms
      saturateAndSucceed(limit, 20 * MS);
    }
    assertThat(limit.limit()).isLessThan(grown);
    assertThat(limit.shortRttNanos()).isGreaterThan(19 * MS);
    assertThat(limit.lastChange().reason()).matches("gradient 0\\.\\d\\d");
  }

  @Test
  void whenTheGradientLimitIsLittleUsedThenItDoesNotGrow() {
    AdaptiveLimit limit =
        AdaptiveLimit.of(
            "quotes",
            AdaptiveLimitConfig.defaults().withAlgorithm(Algorithm.GRADIENT).withLimits(1, 200, 50),
            ticker);
    for (int i = 0; i < 200; i++) {
      limit.tryAcquire();
      limit.onSuccess(10 * MS);
    }
    assertThat(limit.limit()).isEqualTo(50);
  }

  @Test
  void whenCallsSucceedThenOneReleaseInFourFeedsTheRoundTripAverages() {
    AdaptiveLimit limit = aimd(1, 10, 10);
    long[] rtts = {10 * MS, 50 * MS, 50 * MS, 50 * MS, 30 * MS};
    long[] shortAfter = new long[rtts.length];
    for (int i = 0; i < rtts.length; i++) {
      limit.tryAcquire();
      limit.onSuccess(rtts[i]);
      shortAfter[i] = limit.shortRttNanos();
    }
    assertThat(LockFreeAdaptiveLimit.SAMPLE_ONE_IN).isEqualTo(4);
    double weight = 2.0 / (AdaptiveLimitConfig.defaults().shortWindow() + 1);
    assertThat(shortAfter)
        .containsExactly(
            10 * MS, 10 * MS, 10 * MS, 10 * MS, (long) (10 * MS + (30 * MS - 10 * MS) * weight));
  }

  @Test
  void whenTheDownstreamQueuesThenAGradientStepMovesTheLimitTowardsWhatItServesWithoutAQueue() {
    // short window 1: the short-term time is the latest sample; smoothing 0.5: halfway
    AdaptiveLimit limit =
        AdaptiveLimit.of(
            "quotes",
            new AdaptiveLimitConfig(Algorithm.GRADIENT, 1, 200, 4, 0.9, 1, 1000, 1.0, 0.5),
            ticker);
    saturateAndSucceed(limit, 10 * MS); // sampled; no queue, in use: 4 + sqrt(4), halfway
    assertThat(limit.limit()).isEqualTo(5);
    for (int i = 0; i < 3; i++) {
      saturateAndSucceed(limit, 20 * MS); // not sampled
    }
    assertThat(limit.limit()).isEqualTo(5);
    saturateAndSucceed(limit, 20 * MS); // sampled: twice the long-term time
    // gradient 10.02 / 20; target 5 * 0.501, no queue allowance; halfway: 3.75
    assertThat(limit.limit()).isEqualTo(3);
    assertThat(limit.lastChange().reason()).isEqualTo("gradient 0.50");
  }

  @Test
  void whenTheGradientLimitIsLargeThenItStepsOnceInALimitsWorthOfReleases() {
    AdaptiveLimit limit =
        AdaptiveLimit.of(
            "quotes",
            new AdaptiveLimitConfig(Algorithm.GRADIENT, 1, 200, 100, 0.9, 1, 1000, 1.0, 0.5),
            ticker);
    // a step every max(shortWindow, limit / 4) samples: 25 samples, the 97th release
    for (int i = 0; i < 96; i++) {
      saturateAndSucceed(limit, 10 * MS);
    }
    assertThat(limit.limit()).isEqualTo(100);
    saturateAndSucceed(limit, 10 * MS);
    assertThat(limit.limit()).isEqualTo(105); // halfway to 100 + sqrt(100)
  }

  private static void saturateAndSucceed(AdaptiveLimit limit, long rtt) {
    while (limit.tryAcquire()) {}
    limit.onSuccess(rtt);
    while (limit.inFlight() > 0) {
      limit.onIgnored();
    }
  }

  @Test
  void whenThousandsOfCallsComeAndGoThenTheCountInFlightAndTheLimitStayExact() {
    // the successes are counted in bits of the same word, wrapping every 256: they must never
    // leak into the calls in flight or the limit
    AdaptiveLimit limit = aimd(1, 1000, 1000);
    for (int round = 0; round < 3000; round++) {
      assertThat(limit.tryAcquire()).isTrue();
      assertThat(limit.tryAcquire()).isTrue();
      assertThat(limit.inFlight()).isEqualTo(2);
      limit.onSuccess(MS);
      limit.onIgnored();
      assertThat(limit.inFlight()).isZero();
    }
    assertThat(limit.limit()).isEqualTo(1000);
    assertThat(limit.shortRttNanos()).isEqualTo(MS);
  }

  @Test
  void badSettingsAreRefusedNamingTheFieldAndWhatIsAllowed() {
    assertThatThrownBy(() -> AdaptiveLimitConfig.defaults().withLimits(0, 10, 5))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("minLimit must be at least 1, but was 0");
    assertThatThrownBy(() -> AdaptiveLimitConfig.defaults().withLimits(5, 4, 5))
        .hasMessage("maxLimit must be at least minLimit (5) and at most 16777215, but was 4");
    assertThatThrownBy(() -> AdaptiveLimitConfig.defaults().withLimits(5, 1 << 24, 5))
        .as("the calls in flight are counted in 24 bits")
        .hasMessage(
            "maxLimit must be at least minLimit (5) and at most 16777215, but was 16777216");
    assertThatThrownBy(() -> AdaptiveLimitConfig.defaults().withLimits(5, 10, 11))
        .hasMessage("initialLimit must be from minLimit (5) to maxLimit (10), but was 11");
    assertThatThrownBy(
            () -> new AdaptiveLimitConfig(Algorithm.AIMD, 1, 10, 5, 1.0, 10, 600, 1.0, 0.2))
        .hasMessage("backoffRatio must be greater than 0 and less than 1, but was 1.0");
    assertThatThrownBy(
            () -> new AdaptiveLimitConfig(Algorithm.AIMD, 1, 10, 5, 0.9, 0, 600, 1.0, 0.2))
        .hasMessage("shortWindow must be at least 1, but was 0");
    assertThatThrownBy(
            () -> new AdaptiveLimitConfig(Algorithm.AIMD, 1, 10, 5, 0.9, 10, 10, 1.0, 0.2))
        .hasMessage("longWindow must be greater than shortWindow (10), but was 10");
    assertThatThrownBy(
            () -> new AdaptiveLimitConfig(Algorithm.AIMD, 1, 10, 5, 0.9, 10, 600, 0.5, 0.2))
        .hasMessage("tolerance must be at least 1 and finite, but was 0.5");
    assertThatThrownBy(
            () -> new AdaptiveLimitConfig(Algorithm.AIMD, 1, 10, 5, 0.9, 10, 600, 1.0, 0.0))
        .hasMessage("smoothing must be greater than 0 and at most 1, but was 0.0");
    assertThatThrownBy(() -> AdaptiveLimit.of("bad name", AdaptiveLimitConfig.defaults(), ticker))
        .isInstanceOf(InvalidConfigException.class);
  }
}
