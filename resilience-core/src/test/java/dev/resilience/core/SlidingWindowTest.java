package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The window on its own, fed readings in any order, as threads that read the clock and then stall
 * feed it. A 16 s window of 1 s slices; times are given as seconds after the window's origin.
 */
class SlidingWindowTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long ORIGIN = -7 * SECOND; // the ticker may be negative
  private static final long UNIT = CircuitBreakerConfig.WEIGHT_UNIT;

  private final FailureCodeTable codes = new FailureCodeTable();
  private final SlidingWindow window = new SlidingWindow(ORIGIN, 16 * SECOND, codes);

  private static long at(double seconds) {
    return ORIGIN + Math.round(seconds * SECOND);
  }

  private void fail(double seconds, String code) {
    window.recordFailure(at(seconds), codes.indexOf(code), UNIT);
  }

  private SlidingWindow.Totals totalsAt(double seconds) {
    return window.totals(at(seconds));
  }

  @Test
  void anEventAtTheFirstNanosecondOfASliceBelongsToThatSliceAndAgesWithIt() {
    window.recordSuccess(at(0)); // the newest slice is now slice 0
    window.recordSuccess(at(1)); // the first nanosecond of slice 1

    assertThat(totalsAt(16).calls())
        .as("slice 0 has left the window, slice 1 has not")
        .isEqualTo(1);
    assertThat(totalsAt(17).calls()).isZero();
  }

  @Test
  void aLateReadingCountsInTheSliceOfItsOwnTimeNotInTheNewestSlice() {
    fail(0.2, "503"); // slice 0
    window.recordSuccess(at(5.5)); // slice 5 is the newest

    fail(0.7, "timeout"); // read at 0.7 s, recorded after the slice-5 success: back into slice 0
    window.recordSuccess(at(3.5)); // read at 3.5 s: a slice of its own, older than the newest

    SlidingWindow.Totals now = totalsAt(5.5);
    assertThat(now.calls()).isEqualTo(4);
    assertThat(now.failuresByCode()).isEqualTo(Map.of("503", 1L, "timeout", 1L));
    SlidingWindow.Totals later = totalsAt(16);
    assertThat(later.calls()).as("slice 0 left the window with both failures").isEqualTo(2);
    assertThat(later.failureWeight()).isZero();
    assertThat(later.failuresByCode()).isEmpty();
    assertThat(totalsAt(19).calls()).as("slice 3 has left too").isEqualTo(1);
  }

  @Test
  void aReadingAWholeWindowOldIsDroppedAndLeavesTheNewerSliceInItsSlotAlone() {
    fail(17.5, "503"); // slice 17 takes the slot of slice 1

    fail(1.5, "timeout"); // a thread read the clock a whole window ago: slice 1 is gone

    SlidingWindow.Totals totals = totalsAt(17.5);
    assertThat(totals.calls()).isEqualTo(1);
    assertThat(totals.failuresByCode()).isEqualTo(Map.of("503", 1L));
    assertThat(window.reached(at(17.5), 2 * UNIT, 0, 1)).as("one failure, not two").isFalse();
  }

  @Test
  void aReadingFromBeforeTheWindowExistedIsDropped() {
    // a breaker replaces its window when it closes; a call admitted before reports after
    window.recordFailure(ORIGIN - 1, codes.indexOf("503"), UNIT);

    assertThat(totalsAt(0).calls()).isZero();
    assertThat(window.reached(at(0), UNIT, 0, 1)).isFalse();
  }

  @Test
  void withoutAFailureRateOnlyTheWeightOpensHoweverManyCallsFail() {
    for (int i = 0; i < 30; i++) {
      fail(0, "503");
    }

    assertThat(window.reached(at(0), 31 * UNIT, 0, 20)).isFalse();
    assertThat(window.reached(at(0), 30 * UNIT, 0, 20)).isTrue();
  }
}
