package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Eight threads through one guarded endpoint with a bulkhead of 3, every call ending a different
 * way: never more than 3 calls run at once, and when all have ended every slot is back.
 */
class BulkheadConcurrencyTest {

  @Test
  void eightThreadsNeverRunMoreThanTheSlotsAndEverySlotComesBack() throws Exception {
    Guard guard =
        ResilienceRegistry.builder()
            .rateLimiterDefaults(new RateLimiterConfig(1e9, 1_000_000_000, Duration.ZERO))
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder().failThreshold(1_000_000_000).build())
            .bulkheadDefaults(new BulkheadConfig(3, Duration.ZERO))
            .build()
            .guard("quotes", "exchange", false);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    LongAdder full = new LongAdder();
    LongAdder ran = new LongAdder();
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
                for (int i = 0; i < 20_000; i++) {
                  GuardedCall call;
                  try {
                    call = guard.admit();
                  } catch (BulkheadFullException e) {
                    full.increment();
                    continue;
                  }
                  int now = running.incrementAndGet();
                  mostRunning.accumulateAndGet(now, Math::max);
                  ran.increment();
                  if (random.nextInt(4) == 0) {
                    Thread.yield(); // hold the slot a little longer now and then
                  }
                  running.decrementAndGet();
                  switch (random.nextInt(5)) {
                    case 0 -> call.succeeded();
                    case 1 -> call.failed("503");
                    case 2 -> call.failed(new IOException("reset"), FailureClassifier.jdk());
                    case 3 ->
                        call.failed(new IllegalStateException("ours"), FailureClassifier.jdk());
                    default -> call.abandoned();
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> thread : done) {
      thread.get();
    }
    threads.shutdown();

    assertThat(mostRunning.get()).as("most calls running at once").isBetween(1, 3);
    assertThat(guard.bulkhead().inFlight()).as("slots still taken").isZero();
    assertThat(ran.sum() + full.sum()).isEqualTo(8 * 20_000);
  }
}
