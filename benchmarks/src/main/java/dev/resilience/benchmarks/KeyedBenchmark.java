package dev.resilience.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.resilience.core.KeyedRateLimiter;
import io.github.bucket4j.Bucket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Taking a token from the buckets of a key that already holds state, among {@value #KEYS} live
 * keys: the path every request of a known client takes. Each store holds exactly the {@value #KEYS}
 * keys and may hold no more, so none is evicted or created while measuring; every call is admitted.
 *
 * <p>Each thread walks an array of the keys from its own starting point (half the keys apart at two
 * threads, so that two threads never share a key), in one of two orders ({@link Keys#inOrder}):
 * {@code shuffled}, so that consecutive calls touch unrelated parts of the store as requests from
 * many clients do, or {@code filled}, the order in which the stores were filled, where the CPU
 * prefetches the next key's entry: a best case.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class KeyedBenchmark {

  /** Live keys. */
  static final int KEYS = 100_000;

  /** The order in which the keys are passed: {@code shuffled} or {@code filled}. */
  @Param({"shuffled", "filled"})
  public String order;

  private String[] keys;
  private KeyedRateLimiter ours;
  private Cache<String, Bucket> bucket4j;
  private CaffeineCells caffeineCells;

  @Setup
  public void setUp() {
    ours = Keys.ours(KEYS);
    bucket4j = Keys.bucket4jCache(KEYS);
    caffeineCells = Keys.caffeineCells(KEYS);
    for (int i = 0; i < KEYS; i++) {
      String held = Keys.key(i);
      Sanity.check(
          ours.tryAcquire(held)
              && bucket4j.get(held, Keys.NEW_BUCKET4J).tryConsume(1)
              && caffeineCells.tryAcquire(held),
          "every store admits a new key");
    }
    keys = Keys.inOrder(KEYS, order);
    checkEveryKeyHeld();
  }

  /**
   * Fails unless every store still holds exactly the {@value #KEYS} keys. A Caffeine cache evicts
   * only once it holds more than its maximum, which needs a key it does not hold, so holding all
   * keys now means it held them throughout; ours counts its evictions.
   */
  @TearDown(Level.Trial)
  public void checkEveryKeyHeld() {
    bucket4j.cleanUp();
    caffeineCells.cache().cleanUp();
    Sanity.check(
        ours.liveKeys() == KEYS
            && ours.evictions() == 0
            && bucket4j.estimatedSize() == KEYS
            && caffeineCells.cache().estimatedSize() == KEYS,
        "every store holds all "
            + KEYS
            + " keys: ours "
            + ours.liveKeys()
            + " ("
            + ours.evictions()
            + " evicted), Bucket4j "
            + bucket4j.estimatedSize()
            + ", Caffeine cells "
            + caffeineCells.cache().estimatedSize());
  }

  /** Ours: {@code KeyedRateLimiter.inMemory(...).tryAcquire(key)}. */
  @Benchmark
  public boolean ours(Cursor cursor) {
    return ours.tryAcquire(cursor.next(keys));
  }

  /**
   * Bucket4j: a local bucket per key in a Caffeine cache, {@code getIfPresent} then {@code
   * tryConsume(1)} (a miss would create the bucket, as {@code get(key, factory)} does).
   */
  @Benchmark
  public boolean bucket4jCaffeine(Cursor cursor) {
    String key = cursor.next(keys);
    Bucket bucket = bucket4j.getIfPresent(key);
    if (bucket == null) {
      bucket = bucket4j.get(key, Keys.NEW_BUCKET4J);
    }
    return bucket.tryConsume(1);
  }

  /** Our GCRA cell per key, held by a Caffeine cache instead of our own map. */
  @Benchmark
  public boolean gcraCellsCaffeine(Cursor cursor) {
    return caffeineCells.tryAcquire(cursor.next(keys));
  }

  /** Where a thread is in the keys. */
  @State(Scope.Thread)
  public static class Cursor {

    private int next;

    @Setup
    public void setUp(ThreadParams thread) {
      next = thread.getThreadIndex() * (KEYS / thread.getThreadCount());
    }

    /** Returns the next key, wrapping around: no allocation, no division. */
    String next(String[] keys) {
      int i = next;
      next = i + 1 == keys.length ? 0 : i + 1;
      return keys[i];
    }
  }
}
