package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Eight threads through one adaptive limit whose limit moves all the time (successes grow it, drops
 * shrink it): the calls running never exceed the largest limit it ever had, the count never goes
 * negative, and when all have ended none is in flight.
 */
class AdaptiveLimitConcurrencyTest {

  @Test
  void eightThreadsNeverRunMoreThanTheLimitAndEverySlotComesBack() throws Exception {
    AdaptiveLimit limit =
        AdaptiveLimit.of(
            "quotes", AdaptiveLimitConfig.defaults().withLimits(2, 6, 4), Ticker.system());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    AtomicInteger overLimit = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      long seed = t;
      done.add(
          threads.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                start.await();
                for (int i = 0; i < 50_000; i++) {
                  if (!limit.tryAcquire()) {
                    continue;
                  }
                  int now = running.incrementAndGet();
                  mostRunning.accumulateAndGet(now, Math::max);
                  if (limit.inFlight() > 6 || limit.inFlight() < 0) {
                    overLimit.incrementAndGet();
                  }
                  running.decrementAndGet();
                  switch (random.nextInt(3)) {
                    case 0 -> limit.onSuccess(1_000);
                    case 1 -> limit.onDropped(0, "503");
                    default -> limit.onIgnored();
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    threads.shutdown();
    assertThat(mostRunning.get()).isBetween(1, 6);
    assertThat(overLimit.get()).isZero();
    assertThat(limit.inFlight()).isZero();
    assertThat(limit.limit()).isBetween(2, 6);
  }
}
