package dev.resilience.core;

import static dev.resilience.core.TokenBucketConcurrencyTest.runOnThreads;
import static dev.resilience.core.TokenBucketModelTest.assertEveryWindowAdmitsAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.TokenBucketConcurrencyTest.RecordingTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight threads over many keys. With the clock frozen, a key can admit exactly its smallest quota,
 * and each of its limits then holds exactly its quota less what was admitted: any token taken
 * twice, or given back wrong, shows. On the system clock, each key's admissions, timed by the
 * {@code now} the limiter read for them, must respect every limit's window bound exactly.
 */
@Timeout(60)
class KeyedRateLimiterConcurrencyTest {

  private static final int THREADS = 8;
  private static final int KEYS = 1000;

  @Test
  void whenTheClockIsFrozenThenEachKeyAdmitsExactlyItsQuotaUnderEightThreads() throws Exception {
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "frozen", Limits.of(Limit.of(7, Duration.ofSeconds(1))), KEYS, new FakeTicker());
    AtomicIntegerArray admitted = new AtomicIntegerArray(KEYS);

    runOnThreads(
        thread ->
            () -> {
              SplittableRandom random = new SplittableRandom(thread);
              for (int i = 0; i < 40_000; i++) {
                int key = random.nextInt(KEYS);
                if (limiter.tryAcquire(Integer.toString(key))) {
                  admitted.incrementAndGet(key);
                }
              }
              return null;
            });

    for (int key = 0; key < KEYS; key++) {
      assertThat(admitted.get(key)).as("key %d", key).isEqualTo(7);
      assertThat(limiter.availableTokens(Integer.toString(key), 0)).isZero();
    }
    assertThat(limiter.liveKeys()).isEqualTo(KEYS);
    assertThat(limiter.evictions()).isZero();
  }

  @ParameterizedTest(name = "quotas {0} and {1}")
  @ValueSource(strings = {"5, 3", "3, 5", "4, 4"})
  void whenTheClockIsFrozenThenEveryLimitOfAKeyLosesExactlyWhatWasAdmitted(String quotas)
      throws Exception {
    String[] q = quotas.split(", ");
    int first = Integer.parseInt(q[0]);
    int second = Integer.parseInt(q[1]);
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "frozen",
            Limits.of(
                Limit.of(first, Duration.ofSeconds(1)), Limit.of(second, Duration.ofHours(1))),
            KEYS,
            new FakeTicker());
    AtomicIntegerArray admitted = new AtomicIntegerArray(KEYS);

    runOnThreads(
        thread ->
            () -> {
              SplittableRandom random = new SplittableRandom(thread);
              for (int i = 0; i < 40_000; i++) {
                int key = random.nextInt(KEYS);
                if (limiter.tryAcquire(Integer.toString(key))) {
                  admitted.incrementAndGet(key);
                }
              }
              return null;
            });

    int expected = Math.min(first, second);
    for (int key = 0; key < KEYS; key++) {
      String k = Integer.toString(key);
      assertThat(admitted.get(key)).as("key %d", key).isEqualTo(expected);
      assertThat(limiter.availableTokens(k, 0))
          .as("key %d, limit 0", key)
          .isEqualTo(first - expected);
      assertThat(limiter.availableTokens(k, 1))
          .as("key %d, limit 1", key)
          .isEqualTo(second - expected);
    }
  }

  @Test
  void onTheSystemClockEachKeyRespectsEveryLimitsWindowBoundUnderEightThreads() throws Exception {
    RecordingTicker ticker = new RecordingTicker(Ticker.system());
    Limit fast = Limit.of(10, Duration.ofMillis(20)); // a token per 2 ms
    Limit slow = Limit.of(40, Duration.ofMillis(200)); // a token per 5 ms
    int keys = 50;
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory("clocked", Limits.of(fast, slow), keys, ticker);

    List<List<long[]>> perThread =
        runOnThreads(
            thread ->
                () -> {
                  SplittableRandom random = new SplittableRandom(thread);
                  List<long[]> admissions = new ArrayList<>(); // {key, now}
                  long startedAt = System.nanoTime();
                  for (int i = 0; i < 200 || System.nanoTime() - startedAt < 400_000_000L; i++) {
                    int key = random.nextInt(keys);
                    long wait = limiter.tryReserve(Integer.toString(key), 3_000_000L);
                    if (wait != KeyedRateLimiter.REJECTED) {
                      admissions.add(new long[] {key, ticker.lastReadOnThisThread() + wait});
                    }
                  }
                  return admissions;
                });

    List<List<Long>> byKey = new ArrayList<>();
    for (int key = 0; key < keys; key++) {
      byKey.add(new ArrayList<>());
    }
    perThread.forEach(list -> list.forEach(a -> byKey.get((int) a[0]).add(a[1])));
    for (int key = 0; key < keys; key++) {
      long[] times = byKey.get(key).stream().mapToLong(Long::longValue).toArray();
      assertThat(times.length)
          .as("key %d admitted its burst at least", key)
          .isGreaterThanOrEqualTo(10);
      for (Limit limit : List.of(fast, slow)) {
        assertEveryWindowAdmitsAtMost(
            times, limit.quota(), limit.intervalNanos(), "key " + key + ", " + limit);
      }
    }
    assertThat(limiter.evictions()).isZero();
  }

  /**
   * Eight threads push distinct one-off keys through a limiter of {@code maxKeys} keys (frozen
   * clock: a one-off key never fills up again, so every sweep must evict), while some threads also
   * hammer a few busy keys. A busy key is far from full, the one-off keys one token from it: no
   * busy key may be evicted, so none may ever admit more than its quota.
   */
  @ParameterizedTest(name = "maxKeys {0}")
  @ValueSource(ints = {10_000, 100_000})
  void aFloodOfAMillionOneOffKeysKeepsKeysBoundedAndNeverResetsABusyKey(int maxKeys)
      throws Exception {
    int quota = 5;
    int busyKeys = 16;
    int oneOffKeys = 1_000_000;
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "flood", Limits.of(Limit.of(quota, Duration.ofMinutes(1))), maxKeys, new FakeTicker());
    AtomicIntegerArray busyAdmitted = new AtomicIntegerArray(busyKeys);
    AtomicInteger mostLive = new AtomicInteger();
    AtomicLong oneOffRejected = new AtomicLong();
    long started = System.nanoTime();

    runOnThreads(
        thread ->
            () -> {
              SplittableRandom random = new SplittableRandom(thread);
              int perThread = oneOffKeys / THREADS;
              for (int i = 0; i < perThread; i++) {
                if (!limiter.tryAcquire("once-" + (thread * perThread + i))) {
                  oneOffRejected.incrementAndGet();
                }
                if (i % 8 == 0) {
                  int busy = random.nextInt(busyKeys);
                  if (limiter.tryAcquire("busy-" + busy)) {
                    busyAdmitted.incrementAndGet(busy);
                  }
                }
                int live = limiter.liveKeys();
                if (live > mostLive.get()) {
                  mostLive.accumulateAndGet(live, Math::max);
                }
              }
              return null;
            });

    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(mostLive.get()).as("most live keys seen").isLessThanOrEqualTo(maxKeys);
    assertThat(oneOffRejected.get()).as("one-off keys rejected").isZero();
    for (int busy = 0; busy < busyKeys; busy++) {
      assertThat(busyAdmitted.get(busy)).as("busy key %d admitted", busy).isEqualTo(quota);
      assertThat(limiter.isLive("busy-" + busy)).as("busy key %d live", busy).isTrue();
    }
    assertThat(limiter.evictions())
        .as("every key but those live at the end was evicted")
        .isEqualTo(oneOffKeys + busyKeys - limiter.liveKeys());
    assertThat(tookMillis).as("milliseconds for a million keys").isLessThan(20_000);
  }

  /**
   * Calls of one key under two limits at once (a key's tier changing while its calls run) replace
   * each other's cells: each must take from a cell made for its own limits, never fail.
   */
  @Test
  void whenCallsUnderOtherLimitsRaceOnOneKeyThenEachTakesFromACellOfItsOwnLimits()
      throws Exception {
    Limits one = Limits.of(Limit.of(1000, Duration.ofSeconds(1)));
    Limits two =
        Limits.of(Limit.of(1000, Duration.ofSeconds(1)), Limit.of(1000, Duration.ofSeconds(2)));
    ThreadLocal<Limits> tier = new ThreadLocal<>();
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory("tiers", key -> tier.get(), 10, new FakeTicker());

    List<Integer> admitted =
        runOnThreads(
            thread ->
                () -> {
                  tier.set(thread % 2 == 0 ? one : two);
                  int n = 0;
                  for (int i = 0; i < 20_000; i++) {
                    n += limiter.tryAcquire("flipping") ? 1 : 0;
                    limiter.availableTokens("flipping", tier.get().size() - 1);
                  }
                  return n;
                });

    assertThat(admitted.stream().mapToInt(Integer::intValue).sum()).isPositive();
    assertThat(limiter.liveKeys()).isEqualTo(1);
  }

  /**
   * Threads racing to make the same new key count the room they reserve for it once in all: with
   * exactly {@code maxKeys} keys, no key may be evicted, however the first calls of each race.
   */
  @Test
  void whenExactlyMaxKeysKeysRaceInThenNoneIsEvicted() throws Exception {
    int keys = 16;
    int rounds = 3000;
    List<KeyedRateLimiter> limiters = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      limiters.add(
          KeyedRateLimiter.inMemory(
              "exact", Limits.of(Limit.of(3, Duration.ofSeconds(1))), keys, new FakeTicker()));
    }

    runOnThreads(
        thread ->
            () -> {
              for (KeyedRateLimiter limiter : limiters) {
                for (int key = 0; key < keys; key++) {
                  limiter.tryAcquire(Integer.toString((key + thread) % keys));
                }
              }
              return null;
            });

    for (KeyedRateLimiter limiter : limiters) {
      assertThat(limiter.evictions()).as("%s evictions", limiter).isZero();
      assertThat(limiter.liveKeys()).isEqualTo(keys);
      for (int key = 0; key < keys; key++) {
        assertThat(limiter.availableTokens(Integer.toString(key), 0)).isZero();
      }
    }
  }
}
