package dev.resilience.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.resilience.core.KeyedRateLimiter;
import io.github.bucket4j.Bucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints, as a markdown table, the heap bytes per live key of each store of buckets per key ({@link
 * Keys}) holding {@value #KEYS} keys, measured with JOL: everything the store reaches (its map's
 * table and entries, the key strings, the buckets), minus what the same store reaches empty,
 * divided by the keys. Keys are realistic, 14 characters ({@code client-0000123}); every key took
 * one token, so every bucket is live.
 *
 * <p>{@code run.sh} runs it after {@link Footprint}, with a heap of a few GiB (JOL records every
 * object it walks) and {@code -Djol.magicFieldOffset=true}: a Caffeine cache reaches the common
 * pool's threads and, through them, lambdas, whose fields JOL cannot read otherwise.
 */
public final class KeyFootprint {

  /** Live keys. */
  static final int KEYS = 1_000_000;

  /** The classes shown, largest first, in a row's breakdown. */
  private static final int PARTS = 5;

  private final List<Row> rows = new ArrayList<>();

  private KeyFootprint() {}

  /** Prints the table to standard output. */
  public static void main(String[] args) {
    KeyFootprint footprint = new KeyFootprint();
    footprint.measure(
        "ours: KeyedRateLimiter.inMemory, one limit",
        maxKeys -> {
          KeyedRateLimiter ours = Keys.ours(maxKeys);
          return new Store(ours, key -> ours.tryAcquire(key), ours::liveKeys);
        });
    footprint.measure(
        "Bucket4j: local buckets in a Caffeine cache (maximumSize)",
        maxKeys -> {
          Cache<String, Bucket> cache = Keys.bucket4jCache(maxKeys);
          return new Store(
              cache,
              key -> cache.get(key, Keys.NEW_BUCKET4J).tryConsume(1),
              () -> {
                cache.cleanUp();
                return cache.estimatedSize();
              });
        });
    footprint.measure(
        "GCRA cells (as ours) in a Caffeine cache (maximumSize)",
        maxKeys -> {
          CaffeineCells cells = Keys.caffeineCells(maxKeys);
          return new Store(
              cells.cache(),
              cells::tryAcquire,
              () -> {
                cells.cache().cleanUp();
                return cells.cache().estimatedSize();
              });
        });
    footprint.print();
  }

  /** Measures one store, built by {@code factory} for a maximum of {@value #KEYS} keys. */
  private void measure(String store, IntFunction<Store> factory) {
    Store full = factory.apply(KEYS);
    for (int i = 0; i < KEYS; i++) {
      Sanity.check(full.take.test(Keys.key(i)), store + " admits a new key");
    }
    Sanity.check(
        full.size.getAsLong() == KEYS,
        store + " holds all " + KEYS + " keys, not " + full.size.getAsLong());
    GraphLayout layout = GraphLayout.parseInstance(full.root);
    // After the full one: a cache reaches the threads its maintenance started by now, so both
    // walks see the same shared objects
    long empty = GraphLayout.parseInstance(factory.apply(KEYS).root).totalSize();
    String parts =
        layout.getClassSizes().keys().stream()
            .sorted(Comparator.comparingLong(type -> -layout.getClassSizes().count(type)))
            .limit(PARTS)
            .map(
                type ->
                    String.format(
                        Locale.ROOT,
                        "%s %.1f",
                        type.getSimpleName(),
                        (double) layout.getClassSizes().count(type) / KEYS))
            .collect(Collectors.joining(", "));
    rows.add(new Row(store, (double) (layout.totalSize() - empty) / KEYS, empty, parts));
  }

  private void print() {
    System.out.printf(
        Locale.ROOT,
        "Memory per live key, %,d keys like \"%s\", measured with JOL%n",
        KEYS,
        Keys.key(123));
    System.out.println();
    System.out.println("| store | bytes/key | empty bytes | largest parts, bytes/key |");
    System.out.println("|---|---:|---:|---|");
    for (Row row : rows) {
      System.out.printf(
          Locale.ROOT, "| %s | %.1f | %,d | %s |%n", row.store, row.perKey, row.empty, row.parts);
    }
    System.out.println();
    System.out.println(
        "bytes/key: all the store reaches with every key live (map table and entries, key strings,"
            + " buckets, the cache's own bookkeeping) minus all it reaches empty, divided by the keys.");
  }

  /** A store as measured: the object JOL walks, a call that takes a token, its count of keys. */
  private record Store(Object root, Predicate<String> take, LongSupplier size) {}

  private record Row(String store, double perKey, long empty, String parts) {}
}
