package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads take from one bucket while another flips its limits between two settings, and a
 * hand-driven clock moves on: over the whole run, the bucket never admits more than the larger
 * burst plus the larger rate times the time that passed. A call that saw half a change (the fast
 * rate with the large burst, or a {@code tat} read with the settings it was not made for) could.
 */
@Timeout(60)
class LimitChangeConcurrencyTest {

  private static final int TAKERS = 8;
  private static final int STEPS = 20_000;
  private static final long STEP_NANOS = 10_000; // the clock moves 10 µs a step: 0.2 s in all

  /** Fast with a small burst, slow with a large one: neither bounds a mix of the two. */
  private static final double FAST_RATE = 2000;

  private static final int FAST_BURST = 5;
  private static final double SLOW_RATE = 100;
  private static final int SLOW_BURST = 60;

  @Test
  void whenLimitsFlipUnderEightThreadsThenAdmissionsStayWithinTheLargerBounds() throws Exception {
    FakeTicker ticker = new FakeTicker();
    RateLimiter bucket =
        RateLimiter.tokenBucket(
            "flipped", new RateLimiterConfig(FAST_RATE, FAST_BURST, Duration.ZERO), ticker);

    long admitted =
        run(
            ticker,
            bucket::tryAcquire,
            fast ->
                bucket.changeLimits(fast ? FAST_RATE : SLOW_RATE, fast ? FAST_BURST : SLOW_BURST));

    assertWithinLargerBounds(admitted);
  }

  @Test
  void whenAKeyedEndpointsLimitsFlipUnderEightThreadsThenTheKeyStaysWithinTheLargerBounds()
      throws Exception {
    FakeTicker ticker = new FakeTicker();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterOverride(
                "quotes", new RateLimiterConfig(FAST_RATE, FAST_BURST, Duration.ZERO))
            .build();
    KeyedRateLimiter keyed = registry.keyedGuard("quotes", "feed", false).keyedRateLimiter();

    long admitted =
        run(
            ticker,
            () -> keyed.tryAcquire("alice"),
            fast ->
                registry.changeLimits(
                    "quotes", fast ? FAST_RATE : SLOW_RATE, fast ? FAST_BURST : SLOW_BURST));

    assertWithinLargerBounds(admitted);
  }

  private static void assertWithinLargerBounds(long admitted) {
    double elapsedSeconds = STEPS * STEP_NANOS / 1e9;
    long bound = (long) (SLOW_BURST + FAST_RATE * elapsedSeconds);
    assertThat(admitted).isLessThanOrEqualTo(bound);
    // and the bucket did admit under both settings, so the bound was actually approached
    assertThat(admitted).isGreaterThan((long) (SLOW_RATE * elapsedSeconds));
  }

  interface Flip {
    void to(boolean fast);
  }

  /** Runs the takers, the flipper and the clock; returns how many calls were admitted. */
  private static long run(FakeTicker ticker, BooleanSupplier take, Flip flip) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(TAKERS + 1);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong attempts = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Long>> takers = new ArrayList<>();
      for (int t = 0; t < TAKERS; t++) {
        takers.add(
            pool.submit(
                () -> {
                  start.await();
                  long admitted = 0;
                  while (!done.get()) {
                    if (take.getAsBoolean()) {
                      admitted++;
                    }
                    attempts.incrementAndGet();
                  }
                  return admitted;
                }));
      }
      Future<?> flipper =
          pool.submit(
              () -> {
                start.await();
                boolean fast = false;
                while (!done.get()) {
                  flip.to(fast);
                  fast = !fast;
                  Thread.yield();
                }
                return null;
              });
      start.countDown();
      long seen = 0;
      for (int step = 0; step < STEPS; step++) {
        ticker.advanceNanos(STEP_NANOS);
        if (step % 16 == 15) {
          // the clock moves on only once a taker has tried within the last 16 steps: on a busy
          // two-core host it could otherwise run ahead of takers the scheduler left waiting
          while (attempts.get() == seen) {
            Thread.yield();
          }
          seen = attempts.get();
        }
      }
      done.set(true);
      flipper.get(30, TimeUnit.SECONDS);
      long admitted = 0;
      for (Future<Long> taker : takers) {
        admitted += taker.get(30, TimeUnit.SECONDS);
      }
      return admitted;
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }
}
