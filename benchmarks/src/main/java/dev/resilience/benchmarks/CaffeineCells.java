package dev.resilience.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.core.Gcra;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Function;

/**
 * The alternative to our own map that the issue asks us to beat: the same GCRA cell as {@code
 * KeyedBuckets} (a {@code long[]} with one {@code tat}, taken by compare-and-set), held in a
 * Caffeine cache bounded by {@code maximumSize}, so that Caffeine evicts. One limit of {@link
 * Admitting#PER_SECOND} per second per key.
 *
 * <p>It keeps the dead-cell check of ours (a read and a compare per call) so that both do the same
 * work per call; it does not need it, as Caffeine never hands out an evicted cell.
 */
final class CaffeineCells {

  private static final long INTERVAL = 1_000_000_000L / Admitting.PER_SECOND;
  private static final long TOLERANCE = Gcra.tolerance(INTERVAL, Admitting.PER_SECOND);
  private static final long DEAD = Long.MIN_VALUE;
  private static final VarHandle TAT = MethodHandles.arrayElementVarHandle(long[].class);

  /** A fresh cell is full: {@code tat <= now}. A constant, so that a lookup allocates no lambda. */
  private static final Function<String, long[]> NEW_CELL = key -> new long[] {System.nanoTime()};

  private final Cache<String, long[]> cells;

  CaffeineCells(int maxKeys) {
    cells = Caffeine.newBuilder().maximumSize(maxKeys).build();
  }

  /** Takes a token of the key's bucket if it has one now. */
  boolean tryAcquire(String key) {
    long now = System.nanoTime();
    long[] cell = cells.getIfPresent(key);
    if (cell == null) {
      cell = cells.get(key, NEW_CELL);
    }
    for (; ; ) {
      long tat = (long) TAT.getVolatile(cell, 0);
      if (tat == DEAD || Gcra.waitNanos(tat, now, TOLERANCE) > 0) {
        return false;
      }
      if (TAT.compareAndSet(cell, 0, tat, Gcra.next(tat, now, INTERVAL))) {
        return true;
      }
      Thread.onSpinWait();
    }
  }

  /** Returns the cache, for sizes and memory. */
  Cache<String, long[]> cache() {
    return cells;
  }
}
