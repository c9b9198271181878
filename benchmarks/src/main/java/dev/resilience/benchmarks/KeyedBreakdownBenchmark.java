package dev.resilience.benchmarks;

import dev.resilience.core.KeyedRateLimiter;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of {@link KeyedBenchmark#ours} goes: the same walk over {@value
 * KeyedBenchmark#KEYS} live keys, doing only part of the work each time: the harness, the clock, a
 * bare map lookup (with another instance of the key, as ours does, or the very instance the map
 * holds), the lookup and a read of the cell, and ours at a fixed time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class KeyedBreakdownBenchmark {

  private static final int KEYS = KeyedBenchmark.KEYS;

  /** As {@link KeyedBenchmark#order}; {@code -p order=filled} for the other. */
  @Param("shuffled")
  public String order;

  private String[] keys;
  private String[] heldKeys;
  private KeyedRateLimiter ours;
  private ConcurrentHashMap<String, long[]> map;
  private long now;

  @Setup
  public void setUp() {
    ours = Keys.ours(KEYS);
    map = new ConcurrentHashMap<>();
    heldKeys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      heldKeys[i] = Keys.key(i);
      ours.tryAcquire(heldKeys[i]);
      map.put(heldKeys[i], new long[] {System.nanoTime()});
    }
    keys = Keys.inOrder(KEYS, order);
    if (order.equals("shuffled")) {
      Collections.shuffle(Arrays.asList(heldKeys), new Random(42));
    }
    now = System.nanoTime();
  }

  /** The harness alone: the next key and its length. */
  @Benchmark
  public int walk(KeyedBenchmark.Cursor cursor) {
    return cursor.next(keys).length();
  }

  /** {@code System.nanoTime()} alone. */
  @Benchmark
  public long clock() {
    return System.nanoTime();
  }

  /** A {@code ConcurrentHashMap.get} of another instance of the key: compares characters. */
  @Benchmark
  public long[] mapGet(KeyedBenchmark.Cursor cursor) {
    return map.get(cursor.next(keys));
  }

  /** A {@code ConcurrentHashMap.get} of the very instance the map holds: no character compared. */
  @Benchmark
  public long[] mapGetSameInstance(KeyedBenchmark.Cursor cursor) {
    return map.get(cursor.next(heldKeys));
  }

  /** A map get and a read of the cell: every miss of a call, without clock or arithmetic. */
  @Benchmark
  public long mapGetAndRead(KeyedBenchmark.Cursor cursor) {
    return map.get(cursor.next(keys))[0];
  }

  /** Ours at a fixed time: {@code tryReserve(key, 0, now)}, no clock read. */
  @Benchmark
  public long oursFixedNow(KeyedBenchmark.Cursor cursor) {
    return ours.tryReserve(cursor.next(keys), 0, now);
  }

  /** Ours, as {@link KeyedBenchmark#ours}. */
  @Benchmark
  public boolean ours(KeyedBenchmark.Cursor cursor) {
    return ours.tryAcquire(cursor.next(keys));
  }
}
