package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.InboundRuleLimits.Partition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A shared adaptive limit under 8 racing threads of two tiers: the requests in flight never exceed
 * the limit, every slot comes back to its partition, and a tier that keeps asking gets its
 * guaranteed share while the other floods.
 */
class AdaptiveGateConcurrencyTest {

  private static final int LIMIT = 10;

  private static AdaptiveGate gate() {
    AdaptiveLimitConfig fixed =
        AdaptiveLimitConfig.defaults()
            .withAlgorithm(AdaptiveLimitConfig.Algorithm.GRADIENT)
            .withLimits(LIMIT, LIMIT, LIMIT);
    Map<String, Double> partitions = new LinkedHashMap<>();
    partitions.put("pro", 0.4);
    return new AdaptiveGate(0, AdaptiveLimit.of("api", fixed, Ticker.system()), partitions);
  }

  @Test
  void racingTiersNeverExceedTheLimitAndGiveEverySlotBackToItsPartition() throws Exception {
    AdaptiveGate gate = gate();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger proAdmitted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      // threads 0 and 1 are pro clients; the six others flood from no listed tier
      String tier = t < 2 ? "pro" : null;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 20_000; i++) {
                  int partition = gate.tryAcquire(tier);
                  if (partition == AdaptiveGate.REJECTED) {
                    continue;
                  }
                  if (tier != null) {
                    proAdmitted.incrementAndGet();
                  }
                  most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  if (ThreadLocalRandom.current().nextInt(8) == 0) {
                    Thread.yield(); // hold the slot a moment, as a request would
                  }
                  inFlight.decrementAndGet();
                  gate.release(partition, 1_000_000, ThreadLocalRandom.current().nextBoolean());
                }
              });
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(60_000);
    }

    assertThat(most.get()).isBetween(1, LIMIT);
    assertThat(gate.limit.inFlight()).isZero();
    assertThat(gate.partitions()).extracting(Partition::inFlight).containsExactly(0, 0);
    assertThat(proAdmitted.get()).as("pro got through the flood").isPositive();
  }

  @Test
  void whileOtherTiersHoldWhatTheyMayProStillFindsItsShare() {
    AdaptiveGate gate = gate();
    int others = 0;
    while (gate.tryAcquire(null) != AdaptiveGate.REJECTED) {
      others++;
    }
    int pro = 0;
    while (gate.tryAcquire("pro") != AdaptiveGate.REJECTED) {
      pro++;
    }

    assertThat(others).as("the limit less pro's guaranteed 4").isEqualTo(LIMIT - 4);
    assertThat(pro).isEqualTo(4);
    assertThat(gate.limit.inFlight()).isEqualTo(LIMIT);
  }
}
