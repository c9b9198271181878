package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A bulkhead on its own: slots taken and given back, waits that end, misuse that is loud. */
class BulkheadTest {

  private final Bulkhead twoSlots = Bulkhead.of("quotes", new BulkheadConfig(2, Duration.ZERO));

  @Test
  void aFullBulkheadTurnsACallAwayUntilASlotIsGivenBack() throws Exception {
    assertThat(twoSlots.tryAcquire(0)).isTrue();
    assertThat(twoSlots.tryAcquire(0)).isTrue();
    assertThat(twoSlots.inFlight()).isEqualTo(2);

    assertThat(twoSlots.tryAcquire(0)).as("full").isFalse();
    twoSlots.release();

    assertThat(twoSlots.inFlight()).isEqualTo(1);
    assertThat(twoSlots.tryAcquire(0)).isTrue();
  }

  @Test
  void aSlotGivenBackTwiceIsAnErrorNotAnExtraSlot() throws Exception {
    assertThat(twoSlots.tryAcquire(0)).isTrue();
    twoSlots.release();

    assertThatIllegalStateException()
        .isThrownBy(twoSlots::release)
        .withMessage("Bulkhead 'quotes' has no slot taken: give each slot back exactly once");
    assertThat(twoSlots.inFlight()).isZero();
  }

  @Test
  void aWaitingCallGetsTheSlotGivenBackWithinItsWait() throws Exception {
    assertThat(twoSlots.tryAcquire(0)).isTrue();
    assertThat(twoSlots.tryAcquire(0)).isTrue();

    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return twoSlots.tryAcquire(TimeUnit.SECONDS.toNanos(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(50); // most likely queued by now; if not, it finds the slot free: same answer
    assertThat(waiting).isNotDone();
    twoSlots.release();

    assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(twoSlots.inFlight()).isEqualTo(2);
  }

  @Test
  void aWaitThatEndsWithoutASlotTakesNone() throws Exception {
    assertThat(twoSlots.tryAcquire(0)).isTrue();
    assertThat(twoSlots.tryAcquire(0)).isTrue();

    assertThat(twoSlots.tryAcquire(TimeUnit.MILLISECONDS.toNanos(20))).isFalse();

    assertThat(twoSlots.inFlight()).isEqualTo(2);
  }

  @Test
  void aBulkheadNeedsAtLeastOneSlotAndNoNegativeWait() {
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> Bulkhead.of("quotes", BulkheadConfig.none()))
        .withMessageContaining("maxConcurrent");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> new BulkheadConfig(-1, Duration.ZERO))
        .withMessageContaining("maxConcurrent");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> new BulkheadConfig(1, Duration.ofMillis(-1)))
        .withMessageContaining("maxWait");
    assertThat(BulkheadConfig.none().enabled()).isFalse();
  }
}
