package dev.resilience.core;

import static dev.resilience.core.CircuitState.CLOSED;
import static dev.resilience.core.CircuitState.HALF_OPEN;
import static dev.resilience.core.CircuitState.OPEN;
import static dev.resilience.core.TokenBucketConcurrencyTest.runOnThreads;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads on one breaker, with a {@link FakeTicker} so that time moves only where a test
 * says: the outcomes then have exact expected values whatever the interleaving.
 */
@Timeout(30)
class CircuitBreakerConcurrencyTest {

  private static final String[] CODES = {"500", "503", "429", FailureCodes.TIMEOUT, "network"};

  private final FakeTicker ticker = new FakeTicker();
  private final ConcurrentLinkedQueue<Transition> heard = new ConcurrentLinkedQueue<>();

  record Transition(CircuitState from, CircuitState to) {}

  private TimeWindowCircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    TimeWindowCircuitBreaker breaker =
        new TimeWindowCircuitBreaker("shared", config.build(), ticker);
    breaker.addListener((b, from, to) -> heard.add(new Transition(from, to)));
    return breaker;
  }

  @Test
  void halfOpenNeverHasMoreThanProbeCountCallsInFlightUnderEightThreads() throws Exception {
    int probeCount = 3;
    TimeWindowCircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .window(Duration.ofSeconds(60))
                .failThreshold(1)
                .cooldown(Duration.ofSeconds(1))
                .minDwell(Duration.ofSeconds(10))
                .probeCount(probeCount));
    breaker.onFailure(breaker.tryAcquirePermission(false), "503");
    ticker.advance(Duration.ofSeconds(10)); // OPEN long enough; the clock then stands still, so
    // HALF_OPEN never reaches its min-dwell (no close) and no probe ever looks hung (no reopen)
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();

    List<long[]> perThread = // {probes granted, successes reported}
        runOnThreads(
            thread ->
                () -> {
                  Random random = new Random(thread);
                  long granted = 0;
                  long successes = 0;
                  for (int i = 0; i < 20_000; i++) {
                    if (random.nextInt(10) == 0) { // allowlisted: passes, takes no probe slot
                      breaker.onSuccess(breaker.tryAcquirePermission(true), 1_000);
                      successes++;
                      continue;
                    }
                    long permit = breaker.tryAcquirePermission(false);
                    if (permit == TimeWindowCircuitBreaker.NO_PERMIT) {
                      continue;
                    }
                    granted++;
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    for (int spin = random.nextInt(50); spin > 0; spin--) {
                      Thread.onSpinWait();
                    }
                    inFlight.decrementAndGet(); // before the report frees the slot
                    if (random.nextBoolean()) {
                      breaker.onSuccess(permit, 1_000);
                      successes++;
                    } else {
                      breaker.releasePermission(permit);
                    }
                  }
                  return new long[] {granted, successes};
                });

    long granted = perThread.stream().mapToLong(counts -> counts[0]).sum();
    long successes = perThread.stream().mapToLong(counts -> counts[1]).sum();
    CircuitBreakerSnapshot snapshot = breaker.snapshot();
    assertThat(granted).as("probes granted").isPositive();
    assertThat(mostInFlight.get()).as("most probes in flight at once").isBetween(1, probeCount);
    assertThat(snapshot.state()).isEqualTo(HALF_OPEN);
    assertThat(snapshot.probesInFlight()).as("probes in flight once all reported").isZero();
    assertThat(snapshot.callsInWindow())
        .as("calls: the failure and every success")
        .isEqualTo(1 + successes);
    assertThat(snapshot.failureCodes()).isEqualTo(Map.of("503", 1L));
    assertThat(heard)
        .as("one move to HALF_OPEN, whichever thread made it")
        .containsExactly(new Transition(CLOSED, OPEN), new Transition(OPEN, HALF_OPEN));
  }

  @Test
  void transitionsFormOneValidChainWithOneEventPerChangeUnderConcurrentOutcomesAndTimeSteps()
      throws Exception {
    TimeWindowCircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .window(Duration.ofSeconds(1))
                .failThreshold(3)
                .cooldown(Duration.ofMillis(100))
                .minDwell(Duration.ofMillis(50))
                .probeCount(2)
                .failureRateThreshold(50.0)
                .minimumCalls(10));

    runOnThreads(
        thread ->
            () -> {
              Random random = new Random(thread);
              for (int i = 0; i < 5_000; i++) {
                if (random.nextInt(10) == 0) {
                  ticker.advanceNanos(random.nextLong(40_000_000L));
                  continue;
                }
                long permit = breaker.tryAcquirePermission(random.nextInt(10) == 0);
                if (permit != TimeWindowCircuitBreaker.NO_PERMIT) {
                  report(breaker, permit, random);
                }
              }
              return null;
            });

    CircuitState end = breaker.state(); // before copying: a read may make a due move, heard at once
    List<Transition> events = new ArrayList<>(heard);
    assertThat(events).as("transitions").isNotEmpty();
    assertThat(events)
        .as("only moves a breaker makes by itself")
        .allSatisfy(e -> assertThat(e.from().canTransitionTo(e.to())).as("%s", e).isTrue());
    assertFormOneChain(events, CLOSED, end);
    // White-box: a permit carries the state generation (generation << 2 | kind), and without
    // operator commands every new generation is a change of state. So the generation of a fresh
    // permit counts the state changes, and each must have been announced exactly once.
    long generation = breaker.tryAcquirePermission(true) >>> 2;
    assertThat((long) events.size()).as("events heard vs state changes made").isEqualTo(generation);
  }

  @Test
  void transitionsFormOneValidChainWhileAnOperatorForcesStatesConcurrently() throws Exception {
    TimeWindowCircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .window(Duration.ofSeconds(1))
                .failThreshold(3)
                .cooldown(Duration.ofMillis(100))
                .minDwell(Duration.ofMillis(200))
                .probeCount(3));
    AtomicLong commands = new AtomicLong();

    runOnThreads(
        thread ->
            () -> {
              Random random = new Random(thread);
              for (int i = 0; i < 5_000; i++) {
                int op = random.nextInt(100);
                if (op < 10) {
                  ticker.advanceNanos(random.nextLong(60_000_000L));
                } else if (thread == 0 && op < 13) {
                  commands.incrementAndGet();
                  switch (random.nextInt(3)) {
                    case 0 -> breaker.forceOpen();
                    case 1 -> breaker.forceClose();
                    default -> breaker.reset();
                  }
                } else {
                  long permit = breaker.tryAcquirePermission(random.nextInt(10) == 0);
                  if (permit != TimeWindowCircuitBreaker.NO_PERMIT) {
                    report(breaker, permit, random);
                  }
                }
              }
              return null;
            });

    CircuitState end = breaker.state(); // before copying: a read may make a due move, heard at once
    List<Transition> events = new ArrayList<>(heard);
    assertThat(events)
        .as("each move is one a breaker makes by itself, or a forced one to OPEN or CLOSED")
        .allSatisfy(
            e -> {
              assertThat(e.from()).as("%s", e).isNotEqualTo(e.to());
              assertThat(e.from().canTransitionTo(e.to()) || e.to() != HALF_OPEN)
                  .as("%s", e)
                  .isTrue();
            });
    assertThat(events.stream().filter(e -> !e.from().canTransitionTo(e.to())).count())
        .as("forced moves vs operator commands")
        .isLessThanOrEqualTo(commands.get());
    assertFormOneChain(events, CLOSED, end);
  }

  @Test
  void closesExactlyOnceWhenProbeSuccessesAndNewCallsRaceToCloseIt() throws Exception {
    TimeWindowCircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .window(Duration.ofSeconds(60))
                .failThreshold(1)
                .cooldown(Duration.ofSeconds(1))
                .minDwell(Duration.ofSeconds(2))
                .probeCount(3));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 300; round++) {
        // HALF_OPEN with probeCount successes already in, three more probes in flight, and the
        // min-dwell just over: every success and every new call below may close the breaker.
        breaker.reset();
        breaker.onFailure(breaker.tryAcquirePermission(false), "503");
        ticker.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
          breaker.onSuccess(breaker.tryAcquirePermission(false), 1_000);
        }
        long[] probes = new long[3];
        for (int i = 0; i < 3; i++) {
          probes[i] = breaker.tryAcquirePermission(false);
        }
        assertThat(probes).doesNotContain(TimeWindowCircuitBreaker.NO_PERMIT);
        ticker.advance(Duration.ofSeconds(2));
        heard.clear();

        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int racer = t;
          racers.add(
              pool.submit(
                  () -> {
                    assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                    if (racer < 3) {
                      breaker.onSuccess(probes[racer], 1_000);
                    } else {
                      long permit = breaker.tryAcquirePermission(false);
                      if (permit != TimeWindowCircuitBreaker.NO_PERMIT) {
                        breaker.onSuccess(permit, 1_000);
                      }
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> racer : racers) {
          racer.get(10, TimeUnit.SECONDS);
        }

        assertThat(breaker.state()).as("round %d", round).isEqualTo(CLOSED);
        assertThat(heard)
            .as("round %d: one close, announced once", round)
            .containsExactly(new Transition(HALF_OPEN, CLOSED));
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closedBreakerCountsEveryReportedCallWhenEightThreadsReportAtOnce() throws Exception {
    TimeWindowCircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .window(Duration.ofSeconds(60))
                .failThreshold(1_000_000)
                .weight("timeout", 2.5));

    List<Map<String, Long>> perThread = // outcome -> count
        runOnThreads(
            thread ->
                () -> {
                  Random random = new Random(thread);
                  Map<String, Long> reported = new TreeMap<>();
                  for (int i = 0; i < 25_000; i++) {
                    long permit = breaker.tryAcquirePermission(false);
                    if (random.nextInt(10) < 8) {
                      breaker.onSuccess(permit, 1_000);
                      reported.merge("success", 1L, Long::sum);
                    } else {
                      String code = random.nextBoolean() ? "503" : "timeout";
                      breaker.onFailure(permit, code);
                      reported.merge(code, 1L, Long::sum);
                    }
                  }
                  return reported;
                });

    Map<String, Long> reported = new TreeMap<>();
    perThread.forEach(counts -> counts.forEach((k, v) -> reported.merge(k, v, Long::sum)));
    long successes = reported.get("success");
    long failures503 = reported.get("503");
    long timeouts = reported.get("timeout");
    CircuitBreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.state()).isEqualTo(CLOSED);
    assertThat(successes + failures503 + timeouts).isEqualTo(8 * 25_000L);
    assertThat(snapshot.callsInWindow()).isEqualTo(8 * 25_000L);
    assertThat(snapshot.failureCodes()).isEqualTo(Map.of("503", failures503, "timeout", timeouts));
    assertThat(snapshot.failuresInWindow()).isEqualTo(failures503 + 2.5 * timeouts);
    assertThat(heard).isEmpty();
  }

  @Test
  void opensExactlyOnceAndCountsEveryFailureWhenEightThreadsFailAtOnce() throws Exception {
    TimeWindowCircuitBreaker breaker =
        breaker(CircuitBreakerConfig.builder().window(Duration.ofSeconds(60)).failThreshold(5));
    List<Long> permits = new ArrayList<>();
    for (int i = 0; i < 8 * 100; i++) {
      permits.add(breaker.tryAcquirePermission(false)); // all granted while CLOSED
    }

    runOnThreads(
        thread ->
            () -> {
              for (int i = thread; i < permits.size(); i += 8) {
                breaker.onFailure(permits.get(i), "503");
              }
              return null;
            });

    CircuitBreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.state()).isEqualTo(OPEN);
    assertThat(snapshot.failuresInWindow()).isEqualTo(800.0);
    assertThat(snapshot.callsInWindow()).isEqualTo(800);
    assertThat(heard).containsExactly(new Transition(CLOSED, OPEN));
  }

  /** Reports a random outcome for {@code permit}; now and then it never reports (a hung call). */
  private static void report(TimeWindowCircuitBreaker breaker, long permit, Random random) {
    int outcome = random.nextInt(100);
    if (outcome < 55) {
      breaker.onSuccess(permit, 1_000);
    } else if (outcome < 90) {
      breaker.onFailure(permit, CODES[random.nextInt(CODES.length)]);
    } else if (outcome < 98) {
      breaker.releasePermission(permit);
    } // else: abandoned
  }

  /**
   * Fails unless the events, taken as a multiset, are the steps of one walk from {@code start} to
   * {@code end}: every state is left as often as it is entered, except that the walk leaves {@code
   * start} once more and enters {@code end} once more. (In this three-state graph every move
   * touches OPEN, so such a set is connected and forms one walk.) The multiset, not the order in
   * which listeners were called: a listener runs on the thread that made the change, after its
   * compare-and-set, so two changes made by different threads in quick succession may be announced
   * in either order.
   */
  private static void assertFormOneChain(
      List<Transition> events, CircuitState start, CircuitState end) {
    Map<CircuitState, Integer> leftMinusEntered = new EnumMap<>(CircuitState.class);
    for (CircuitState state : CircuitState.values()) {
      leftMinusEntered.put(state, 0);
    }
    for (Transition e : events) {
      leftMinusEntered.merge(e.from(), 1, Integer::sum);
      leftMinusEntered.merge(e.to(), -1, Integer::sum);
    }
    Map<CircuitState, Integer> expected = new EnumMap<>(CircuitState.class);
    for (CircuitState state : CircuitState.values()) {
      expected.put(state, (state == start ? 1 : 0) - (state == end ? 1 : 0));
    }
    assertThat(leftMinusEntered)
        .as("times each state was left minus entered: %d events, ending %s", events.size(), end)
        .isEqualTo(expected);
  }
}
