package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real sleeper, which makes a caller wait for the token it reserved. Its times are checked as
 * lower bounds only (a loaded machine may always sleep longer, never shorter); an upper bound would
 * be a timing assertion, so a sleeper that never returns is caught by the timeout instead.
 */
@Timeout(30)
class SleeperTest {

  private static final long FIFTY_MILLIS = Duration.ofMillis(50).toNanos();
  private static final long ONE_MINUTE = Duration.ofMinutes(1).toNanos();

  @AfterEach
  void clearTheInterruptFlag() {
    Thread.interrupted();
  }

  @Test
  void aCallerWaitsAtLeastTheReservedNanosecondsOfRealTime() throws InterruptedException {
    long before = System.nanoTime();

    Sleeper.SYSTEM.sleep(FIFTY_MILLIS);

    assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(FIFTY_MILLIS);
  }

  @Test
  void aWakeUpThatIsNotAnInterruptDoesNotCutTheWaitShort() throws Exception {
    // A parked thread may wake early without an interrupt (a spurious wake-up, or an unpark meant
    // for another purpose): the sleeper must park again for the rest of its time, or a caller would
    // run before its token is due, which is over-admission.
    long waitNanos = 4 * FIFTY_MILLIS;
    CompletableFuture<Long> slept = new CompletableFuture<>();
    Thread sleeper =
        new Thread(
            () -> {
              long before = System.nanoTime();
              try {
                Sleeper.SYSTEM.sleep(waitNanos);
                slept.complete(System.nanoTime() - before);
              } catch (Throwable e) {
                slept.completeExceptionally(e);
              }
            },
            "sleeper-under-test");
    sleeper.start();
    while (sleeper.isAlive()) {
      LockSupport.unpark(sleeper);
      Thread.sleep(1); // the unparking side may sleep: nothing is asserted on its timing
    }

    assertThat(slept.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(waitNanos);
  }

  @Test
  void aWaitingCallerParksItsThreadInsteadOfSpinning() throws Exception {
    // A spinning waiter would keep a core busy for its whole wait: on a two-core host, a few
    // callers waiting for tokens would starve the calls they wait to make. A parked thread uses
    // microseconds of CPU however loaded the host is, so the bound below is not a timing bet.
    OptionalLong cpuBefore = JdkProbes.currentThreadCpuNanos();
    assumeTrue(cpuBefore.isPresent(), "the JVM measures thread CPU time");
    long waitNanos = 4 * FIFTY_MILLIS;

    Sleeper.SYSTEM.sleep(waitNanos);

    long cpuNanos = JdkProbes.currentThreadCpuNanos().orElseThrow() - cpuBefore.getAsLong();
    assertThat(cpuNanos)
        .as("CPU time used while waiting %d ns", waitNanos)
        .isLessThan(waitNanos / 4);
  }

  @Test
  void nothingToWaitForReturnsAtOnceAndLeavesAPendingInterruptToTheCaller()
      throws InterruptedException {
    Thread.currentThread().interrupt();

    Sleeper.SYSTEM.sleep(0);

    assertThat(Thread.currentThread().isInterrupted())
        .as("the interrupt is still pending")
        .isTrue();
  }

  @Test
  void anInterruptBeforeTheWaitEndsItWithInterruptedExceptionAndClearsTheFlag() {
    Thread.currentThread().interrupt();

    assertThatExceptionOfType(InterruptedException.class)
        .isThrownBy(() -> Sleeper.SYSTEM.sleep(ONE_MINUTE))
        .withMessage("interrupted while waiting for a rate-limit token");
    assertThat(Thread.currentThread().isInterrupted())
        .as("the flag is cleared, as for Thread.sleep")
        .isFalse();
  }

  @Test
  void anInterruptWhileWaitingEndsTheWaitWithInterruptedExceptionAndClearsTheFlag()
      throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    CompletableFuture<Boolean> flagAfterwards = new CompletableFuture<>();
    Thread sleeper =
        new Thread(
            () -> {
              try {
                Sleeper.SYSTEM.sleep(ONE_MINUTE);
                thrown.complete(null);
              } catch (Throwable e) {
                thrown.complete(e);
              }
              flagAfterwards.complete(Thread.currentThread().isInterrupted());
            },
            "sleeper-under-test");
    sleeper.start();
    // interrupt it once it is parked; whether it is, is not what this test checks
    for (int i = 0; i < 10_000 && sleeper.getState() != Thread.State.TIMED_WAITING; i++) {
      Thread.sleep(1);
    }

    sleeper.interrupt();

    assertThat(thrown.get(10, TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("interrupted while waiting for a rate-limit token");
    assertThat(flagAfterwards.get(10, TimeUnit.SECONDS)).as("the flag is cleared").isFalse();
  }
}
