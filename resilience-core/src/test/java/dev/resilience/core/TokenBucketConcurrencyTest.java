package dev.resilience.core;

import static dev.resilience.core.TokenBucketModelTest.assertEveryWindowAdmitsAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads on one bucket. Each admission is timed by the {@code now} the bucket itself read on
 * that call (a {@link RecordingTicker} remembers it per thread), plus the returned wait: those are
 * the instants the bucket promised, so the window bound is checked exactly, with no slack, even
 * though threads are preempted between reading the clock and winning the compare-and-set.
 */
@Timeout(30)
class TokenBucketConcurrencyTest {

  private static final int THREADS = 8;

  /**
   * How long each thread of the system-clock tests hammers, from the moment it is released: a loop
   * bound, never asserted on.
   */
  private static final long RUN_NANOS = 400_000_000L;

  /**
   * Whether a worker of a system-clock test makes attempt number {@code attempt}: at least {@code
   * minAttempts}, then until {@link #RUN_NANOS} after {@code startedAt}. The clock starts inside
   * the worker, once every thread is running (see {@link #runOnThreads}), and the minimum keeps a
   * thread that the scheduler of a loaded host runs late, or runs for less than a whole deadline,
   * from making no attempt at all.
   */
  private static boolean keepsGoing(int attempt, int minAttempts, long startedAt) {
    return attempt < minAttempts
        || (attempt < 20_000_000 && System.nanoTime() - startedAt < RUN_NANOS);
  }

  @Test
  void admitsNoMoreThanBurstPlusElapsedOverIntervalUnderEightThreadsOnTheSystemClock()
      throws Exception {
    RecordingTicker ticker = new RecordingTicker(Ticker.system());
    RateLimiterConfig config = new RateLimiterConfig(2000, 50, Duration.ZERO);
    RateLimiter bucket = RateLimiter.tokenBucket("hammered", config, ticker);

    List<List<Admission>> perThread =
        runOnThreads(
            thread ->
                () -> {
                  List<Admission> admitted = new ArrayList<>();
                  long startedAt = System.nanoTime();
                  for (int i = 0; keepsGoing(i, config.burst(), startedAt); i++) {
                    if (bucket.tryAcquire()) {
                      admitted.add(new Admission(ticker.lastReadOnThisThread(), 0));
                    }
                  }
                  return admitted;
                });

    long[] times = admissionTimes(perThread);
    // a full bucket admits its first burst attempts, and every thread made at least burst of them
    assertThat(times.length).as("admissions").isGreaterThanOrEqualTo(config.burst());
    assertEveryWindowAdmitsAtMost(times, config.burst(), config.intervalNanos(), "system clock");
  }

  @Test
  void reservationsAreHandedOutInOrderOneIntervalApartUnderEightThreadsOnTheSystemClock()
      throws Exception {
    RecordingTicker ticker = new RecordingTicker(Ticker.system());
    RateLimiterConfig config = new RateLimiterConfig(2000, 50, Duration.ofMillis(20));
    long maxWait = config.maxWait().toNanos();
    RateLimiter bucket = RateLimiter.tokenBucket("reserved", config, ticker);

    // The callers do not sleep their wait: they stand for callers that do, all at once.
    List<List<Admission>> perThread =
        runOnThreads(
            thread ->
                () -> {
                  List<Admission> admitted = new ArrayList<>();
                  long startedAt = System.nanoTime();
                  for (int i = 0; keepsGoing(i, config.burst(), startedAt); i++) {
                    long wait = bucket.tryReserve(maxWait);
                    if (wait != RateLimiter.REJECTED) {
                      admitted.add(new Admission(ticker.lastReadOnThisThread(), wait));
                    }
                  }
                  return admitted;
                });

    assertThat(perThread.stream().flatMap(List::stream))
        .as("waits")
        .allSatisfy(a -> assertThat(a.waitNanos()).isBetween(0L, maxWait))
        .anySatisfy(a -> assertThat(a.waitNanos()).as("some caller had to wait").isPositive());
    assertEveryWindowAdmitsAtMost(
        admissionTimes(perThread), config.burst(), config.intervalNanos(), "reservations");
    assertReservationsServedInOrder(perThread, config.intervalNanos());
  }

  @Test
  void admitsNoMoreThanBurstPlusElapsedOverIntervalWhileThreadsAdvanceASharedFakeClock()
      throws Exception {
    FakeTicker clock = new FakeTicker();
    RecordingTicker ticker = new RecordingTicker(clock);
    RateLimiterConfig config = new RateLimiterConfig(2.5, 10, Duration.ZERO); // 400 ms apart
    long interval = config.intervalNanos();
    RateLimiter bucket = RateLimiter.tokenBucket("fake_clock", config, ticker);

    List<List<Admission>> perThread =
        runOnThreads(
            thread ->
                () -> {
                  Random random = new Random(thread);
                  List<Admission> admitted = new ArrayList<>();
                  for (int i = 0; i < 20_000; i++) {
                    int op = random.nextInt(100);
                    if (op < 30) {
                      clock.advanceNanos(random.nextLong(interval / 3));
                    } else if (op < 65) {
                      if (bucket.tryAcquire()) {
                        admitted.add(new Admission(ticker.lastReadOnThisThread(), 0));
                      }
                    } else {
                      long wait = bucket.tryReserve(random.nextLong(2 * interval));
                      if (wait != RateLimiter.REJECTED) {
                        admitted.add(new Admission(ticker.lastReadOnThisThread(), wait));
                      }
                    }
                  }
                  return admitted;
                });

    long[] times = admissionTimes(perThread);
    assertThat(times.length).as("admissions").isGreaterThan(config.burst());
    assertEveryWindowAdmitsAtMost(times, config.burst(), interval, "shared fake clock");
    assertReservationsServedInOrder(perThread, interval);
  }

  /**
   * Fails unless reservations were handed out in order: the promised instants of the calls that had
   * to wait are all at least one interval apart (each took the next future token), and each
   * thread's own admissions come in the order it asked, one interval after any it waited for.
   */
  private static void assertReservationsServedInOrder(
      List<List<Admission>> perThread, long interval) {
    long[] waited =
        perThread.stream()
            .flatMap(List::stream)
            .filter(a -> a.waitNanos() > 0)
            .mapToLong(Admission::at)
            .sorted()
            .toArray();
    for (int i = 1; i < waited.length; i++) {
      assertThat(waited[i] - waited[i - 1])
          .as("gap between reserved tokens %d and %d", i - 1, i)
          .isGreaterThanOrEqualTo(interval);
    }
    for (int t = 0; t < perThread.size(); t++) {
      List<Admission> mine = perThread.get(t);
      for (int i = 1; i < mine.size(); i++) {
        Admission previous = mine.get(i - 1);
        long earliest = previous.waitNanos() > 0 ? previous.at() + interval : previous.at();
        assertThat(mine.get(i).at())
            .as("thread %d, admission %d after %s", t, i, previous)
            .isGreaterThanOrEqualTo(earliest);
      }
    }
  }

  private static long[] admissionTimes(List<List<Admission>> perThread) {
    return perThread.stream().flatMap(List::stream).mapToLong(Admission::at).toArray();
  }

  /** Starts {@link #THREADS} workers together and returns their results, in thread order. */
  static <T> List<T> runOnThreads(IntFunction<Callable<T>> worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch ready = new CountDownLatch(THREADS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Callable<T> work = worker.apply(t);
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  assertThat(go.await(10, TimeUnit.SECONDS)).as("start signal").isTrue();
                  return work.call();
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).as("all threads started").isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(20, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("pool terminated").isTrue();
    }
  }

  /** An admission: the {@code now} the bucket read for the call, and the wait it returned. */
  record Admission(long now, long waitNanos) {

    long at() {
      return now + waitNanos;
    }
  }

  /** A ticker that remembers, per thread, the last value it returned. */
  static final class RecordingTicker implements Ticker {

    private final Ticker delegate;
    private final ThreadLocal<long[]> lastRead = ThreadLocal.withInitial(() -> new long[1]);

    RecordingTicker(Ticker delegate) {
      this.delegate = delegate;
    }

    @Override
    public long read() {
      long now = delegate.read();
      lastRead.get()[0] = now;
      return now;
    }

    long lastReadOnThisThread() {
      return lastRead.get()[0];
    }
  }
}
