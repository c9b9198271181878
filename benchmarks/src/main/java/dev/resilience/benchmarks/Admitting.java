package dev.resilience.benchmarks;

import com.google.common.util.concurrent.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * Rate limiters, ours and the peers', that admit every call a benchmark makes: all at the same 1e9
 * permits per second with a second's worth of burst, far beyond what a benchmark thread reaches, so
 * that each measures its admitting path and never a refusal.
 */
final class Admitting {

  /** Permits per second, and the burst. */
  static final int PER_SECOND = 1_000_000_000;

  private Admitting() {}

  /** Our bucket: the highest rate ({@link RateLimiterConfig#MAX_RATE}), never waiting. */
  static RateLimiterConfig ourConfig() {
    return new RateLimiterConfig(RateLimiterConfig.MAX_RATE, PER_SECOND, Duration.ZERO);
  }

  /** Resilience4j: 1e9 permits per 1 s cycle, never waiting. */
  static io.github.resilience4j.ratelimiter.RateLimiterConfig resilience4jConfig() {
    return io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
        .limitForPeriod(PER_SECOND)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(Duration.ZERO)
        .build();
  }

  /**
   * Bucket4j: a lock-free local bucket (its default), refilled greedily at 1e9 per second. It reads
   * {@code System.nanoTime()}, as ours does, instead of its default millisecond clock.
   */
  static Bucket bucket4j() {
    return bucket4j(bucket4jLimit());
  }

  /** Bucket4j: a bucket as {@link #bucket4j()}, its limit shared with other buckets. */
  static Bucket bucket4j(Bandwidth limit) {
    return Bucket.builder().addLimit(limit).withNanosecondPrecision().build();
  }

  /** Bucket4j: the limit of {@link #bucket4j()}, 1e9 a second refilled greedily. */
  static Bandwidth bucket4jLimit() {
    return Bandwidth.builder()
        .capacity(PER_SECOND)
        .refillGreedy(PER_SECOND, Duration.ofSeconds(1))
        .build();
  }

  /** Guava: a smooth bursty limiter at 1e9 permits per second (it stores a second's worth). */
  static RateLimiter guava() {
    return RateLimiter.create(PER_SECOND);
  }
}
