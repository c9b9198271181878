package dev.resilience.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Stores of buckets per key, ours and the peers', built the same way for {@link KeyedBenchmark} and
 * {@link KeyFootprint}: each holds at most {@code maxKeys} keys and admits every call a benchmark
 * makes ({@link Admitting}'s rate, per key).
 */
final class Keys {

  private Keys() {}

  /** A realistic key: 14 characters, {@code client-0000123}. */
  static String key(int i) {
    return String.format(Locale.ROOT, "client-%07d", i);
  }

  /**
   * Returns the keys {@code 0..count-1} in the order a benchmark passes them: {@code filled}, the
   * order in which the stores were filled, or {@code shuffled} (with a fixed seed), as requests
   * from many clients come. They are other instances than those the stores hold, as a request's key
   * is, so every lookup compares characters; their hash codes are computed once, here.
   *
   * <p>They are made in the order they will be passed, so that they lie in memory in that order:
   * the CPU prefetches the next one, and a call finds its key in the cache, as a request finds the
   * key it has just read from a header. Only the store's own memory is then touched in random
   * order.
   */
  static String[] inOrder(int count, String order) {
    List<Integer> indexes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      indexes.add(i);
    }
    switch (order) {
      case "filled" -> {}
      case "shuffled" -> Collections.shuffle(indexes, new Random(42));
      default -> throw new IllegalArgumentException("order is filled or shuffled, not " + order);
    }
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = key(indexes.get(i));
      keys[i].hashCode();
    }
    return keys;
  }

  /** Ours: {@code KeyedRateLimiter.inMemory} with one limit of 1e9 per second. */
  static KeyedRateLimiter ours(int maxKeys) {
    return KeyedRateLimiter.inMemory(
        "bench",
        Limits.of(Limit.of(Admitting.PER_SECOND, Duration.ofSeconds(1))),
        maxKeys,
        Ticker.system());
  }

  /**
   * Bucket4j as its Spring Boot starter keeps buckets in memory: a Caffeine cache bounded by {@code
   * maximumSize}, a local lock-free bucket per key. Caffeine's defaults otherwise (its maintenance
   * runs on the common pool).
   */
  static Cache<String, Bucket> bucket4jCache(int maxKeys) {
    return Caffeine.newBuilder().maximumSize(maxKeys).build();
  }

  private static final Bandwidth BUCKET4J_LIMIT = Admitting.bucket4jLimit();

  /**
   * Bucket4j's bucket for a new key, all keys sharing one {@code Bandwidth} as an application
   * configures one limit; a constant, so that a lookup allocates no lambda.
   */
  static final Function<String, Bucket> NEW_BUCKET4J = key -> Admitting.bucket4j(BUCKET4J_LIMIT);

  /** Our cells, held by Caffeine instead of our own map. */
  static CaffeineCells caffeineCells(int maxKeys) {
    return new CaffeineCells(maxKeys);
  }
}
