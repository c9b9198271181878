package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FailureCodeTableTest {

  @Test
  @Timeout(30)
  void twoThreadsThatMeetANewCodeAtOnceGetTheSameIndexAndTheCodeIsAddedOnce() throws Exception {
    FailureCodeTable table = new FailureCodeTable();
    assertThat(table.indexOf("500")).isZero();
    CompletableFuture<Integer> seenByOther = new CompletableFuture<>();
    Thread other = new Thread(() -> seenByOther.complete(table.indexOf("503")), "other-reporter");

    // The table grows under its own monitor. Holding it, this thread lets the other one find 503
    // missing and wait to add it, then adds 503 itself: the race, made to run the same way each
    // time.
    synchronized (table) {
      other.start();
      while (other.getState() != Thread.State.BLOCKED
          && other.getState() != Thread.State.TERMINATED) {
        Thread.sleep(1);
      }
      assertThat(table.indexOf("503")).isEqualTo(1);
    }

    assertThat(seenByOther.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(table.code(1)).isEqualTo("503");
    assertThat(table.indexOf("504")).as("503 took one index, not two").isEqualTo(2);
  }
}
