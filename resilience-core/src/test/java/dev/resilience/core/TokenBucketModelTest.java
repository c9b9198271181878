package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of time steps, {@code tryAcquire}, {@code tryReserve} and reads, each answer
 * checked against {@link ExactBucket}: a continuous token count kept exactly, as a whole number of
 * nanoseconds of credit ({@code tokens = credit / intervalNanos}), refilled one token per interval
 * and capped at {@code burst}. A reservation that has to wait drives the count below zero (the GCRA
 * equivalence). A failing seed is printed in the test's name: rerun it alone.
 */
class TokenBucketModelTest {

  private static final int SEEDS = 250;
  private static final int STEPS = 400;

  /** Fractional, whole, slow and fast rates, some a hair below 1e9 / a whole number of ns. */
  private static final double[] RATES = {0.3, 1.0 / 3, 0.5, 1, 2.5, 3, 7, 123.4, 1000, 1e6 / 3};

  static LongStream seeds() {
    return LongStream.range(0, SEEDS).map(i -> 0x7B_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void answersEveryCallExactlyAsAContinuousTokenCountWould(long seed) {
    Run run = Run.of(seed);

    run.play();

    assertThat(run.admissions).as("%s admitted something", run).isNotEmpty();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void admitsNoMoreThanBurstPlusElapsedOverIntervalInAnyWindow(long seed) {
    Run run = Run.of(seed);

    long[] admissions = run.play();

    assertEveryWindowAdmitsAtMost(
        admissions, run.config.burst(), run.config.intervalNanos(), run.toString());
    assertThat(intervalTimesRate(run.config))
        .as("%s: the interval bound implies burst + rate * t", run)
        .isGreaterThanOrEqualTo(BigDecimal.valueOf(1_000_000_000L));
  }

  // Regression: intervalNanos used to be ceil of the *rounded* double quotient 1e9 / rate. When
  // the exact quotient lies just above a whole number N (the rate is a hair below 1e9 / N, as the
  // double 1.0 / 3 is), the double rounds to N and the interval came out a nanosecond short of
  // "rounded up", so the bucket admitted a hair more than the rate (fixed in ed35879).
  @ParameterizedTest(name = "rate {0}/s")
  @ValueSource(doubles = {1.0 / 3, 2.0 / 3, 1.0 / 7, 1e9 / 3, 1e6 / 3})
  void intervalIsNeverShorterThanOneTokenAtTheExactConfiguredRate(double rate) {
    RateLimiterConfig config = new RateLimiterConfig(rate, 1, Duration.ZERO);

    assertThat(intervalTimesRate(config))
        .as("intervalNanos %d * rate %s (exact)", config.intervalNanos(), new BigDecimal(rate))
        .isGreaterThanOrEqualTo(BigDecimal.valueOf(1_000_000_000L));
  }

  // Regression, the visible consequence of the rounding above: "one call every 3 s" written as
  // 1.0 / 3 calls per second let two calls through 3 s apart with burst 1, although
  // burst + rate * 3 s = 1.99999999999999994... < 2.
  @Test
  void neverAdmitsMoreThanBurstPlusRateTimesElapsedForARateJustBelowOnePerWholeInterval() {
    double rate = 1.0 / 3;
    FakeTicker ticker = new FakeTicker();
    RateLimiter bucket =
        RateLimiter.tokenBucket("one_in_3s", new RateLimiterConfig(rate, 1, Duration.ZERO), ticker);
    assertThat(bucket.tryAcquire()).isTrue();

    ticker.advanceNanos(3_000_000_000L);
    int admitted = 1 + (bucket.tryAcquire() ? 1 : 0);

    BigDecimal allowed = BigDecimal.ONE.add(new BigDecimal(rate).multiply(BigDecimal.valueOf(3)));
    assertThat(BigDecimal.valueOf(admitted))
        .as("admitted in a window of 3 s; burst + rate * t = %s", allowed.toPlainString())
        .isLessThanOrEqualTo(allowed);
  }

  /**
   * Fails unless every window {@code [a, a + t]} over the admission times holds at most {@code
   * burst + floor(t / interval)} of them. Exact: no slack.
   */
  static void assertEveryWindowAdmitsAtMost(
      long[] admissions, int burst, long intervalNanos, String description) {
    long[] sorted = admissions.clone();
    Arrays.sort(sorted);
    for (int first = 0; first < sorted.length; first++) {
      for (int last = first; last < sorted.length; last++) {
        long elapsed = sorted[last] - sorted[first];
        long allowed = burst + elapsed / intervalNanos;
        long count = last - first + 1;
        if (count > allowed) {
          fail(
              "%s: %d admissions in [%d, %d] (%d ns); burst %d + %d ns / %d ns allows %d",
              description,
              count,
              sorted[first],
              sorted[last],
              elapsed,
              burst,
              elapsed,
              intervalNanos,
              allowed);
        }
      }
    }
  }

  private static BigDecimal intervalTimesRate(RateLimiterConfig config) {
    return BigDecimal.valueOf(config.intervalNanos())
        .multiply(new BigDecimal(config.capacityPerSecond()));
  }

  /**
   * The reference: the token count as an exact number of nanoseconds of credit. One token is {@code
   * interval} nanoseconds of credit; the bucket is full at {@code burst * interval}. Time is
   * counted from the bucket's creation, so the model never sees the ticker's absolute value.
   */
  static final class ExactBucket {

    private final long interval;
    private final long fullCredit;
    private long credit;
    private long refilledAt;

    ExactBucket(RateLimiterConfig config) {
      this.interval = config.intervalNanos();
      this.fullCredit = config.burst() * interval;
      this.credit = fullCredit; // starts full
    }

    private void refillTo(long now) {
      credit = Math.min(fullCredit, credit + (now - refilledAt));
      refilledAt = now;
    }

    /** Returns the wait for the next token, or -1 if it exceeds {@code maxWait} (nothing taken). */
    long reserve(long now, long maxWait) {
      refillTo(now);
      long wait = Math.max(0, interval - credit);
      if (wait > maxWait) {
        return -1;
      }
      credit -= interval;
      return wait;
    }

    double tokens(long now) {
      refillTo(now);
      return (double) Math.max(0, credit) / interval;
    }

    long nanosUntilToken(long now) {
      refillTo(now);
      return Math.max(0, interval - credit);
    }
  }

  /** One seeded sequence: a random config, a ticker (sometimes about to wrap), bucket and model. */
  private static final class Run {

    final long seed;
    final Random random;
    final RateLimiterConfig config;
    final long interval;
    final long start;
    final FakeTicker ticker;
    final RateLimiter bucket;
    final ExactBucket model;
    final long[] admissions = new long[STEPS];
    int admitted;
    long elapsed;

    private Run(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.config =
          new RateLimiterConfig(
              RATES[random.nextInt(RATES.length)], 1 + random.nextInt(50), Duration.ZERO);
      this.interval = config.intervalNanos();
      // System.nanoTime may be anywhere, even about to overflow: only differences count.
      this.start =
          random.nextInt(8) == 0
              ? Long.MAX_VALUE - random.nextLong(100L * interval)
              : random.nextLong() / 2;
      this.ticker = new FakeTicker(start);
      this.bucket = RateLimiter.tokenBucket("model", config, ticker);
      this.model = new ExactBucket(config);
    }

    static Run of(long seed) {
      return new Run(seed);
    }

    /** Plays the sequence, checking each answer; returns the admission times (call + wait). */
    long[] play() {
      for (int step = 0; step < STEPS; step++) {
        int op = random.nextInt(100);
        if (op < 35) {
          advance(nextAdvance());
        } else if (op < 60) {
          long expected = model.reserve(elapsed, 0);
          boolean acquired = bucket.tryAcquire();
          assertThat(acquired).as("%s step %d: tryAcquire()", this, step).isEqualTo(expected == 0);
          if (acquired) {
            admissions[admitted++] = elapsed;
          }
        } else if (op < 85) {
          long maxWait = nextMaxWait();
          long expected = model.reserve(elapsed, maxWait);
          long wait = bucket.tryReserve(maxWait);
          assertThat(wait)
              .as("%s step %d: tryReserve(%d)", this, step, maxWait)
              .isEqualTo(expected);
          if (wait != RateLimiter.REJECTED) {
            admissions[admitted++] = elapsed + wait;
          }
        } else {
          double tokens = bucket.availableTokens();
          assertThat(tokens)
              .as("%s step %d: availableTokens()", this, step)
              .isCloseTo(model.tokens(elapsed), within(1e-9))
              .isBetween(0.0, (double) config.burst());
          assertThat(bucket.nanosUntilToken())
              .as("%s step %d: nanosUntilToken()", this, step)
              .isEqualTo(model.nanosUntilToken(elapsed));
        }
      }
      return Arrays.copyOf(admissions, admitted);
    }

    private void advance(long nanos) {
      ticker.advanceNanos(nanos);
      elapsed += nanos;
    }

    private long nextAdvance() {
      int kind = random.nextInt(100);
      if (kind < 55) {
        return random.nextLong(interval + 1);
      } else if (kind < 75) {
        return random.nextLong(3 * interval + 1);
      } else if (kind < 85) {
        return random.nextInt(4); // a few nanoseconds, or none
      } else if (kind < 95) {
        // exactly when the next token is due, or one nanosecond before
        return Math.max(0, model.nanosUntilToken(elapsed) - random.nextInt(2));
      } else {
        return random.nextLong(3L * (config.burst() + 2) * interval); // long idle
      }
    }

    private long nextMaxWait() {
      int kind = random.nextInt(100);
      long due = model.nanosUntilToken(elapsed);
      if (kind < 20) {
        return 0;
      } else if (kind < 50) {
        return random.nextLong(interval + 1);
      } else if (kind < 65) {
        return random.nextLong((long) config.burst() * interval + 1);
      } else if (kind < 75) {
        return due; // exactly enough
      } else if (kind < 85) {
        return Math.max(0, due - 1); // one nanosecond short
      } else if (kind < 95) {
        return random.nextLong(3 * interval + 1);
      } else {
        return Long.MAX_VALUE;
      }
    }

    @Override
    public String toString() {
      return "seed "
          + seed
          + " ("
          + config.capacityPerSecond()
          + "/s, burst "
          + config.burst()
          + ", interval "
          + interval
          + " ns, ticker from "
          + start
          + ", at +"
          + elapsed
          + " ns)";
    }
  }
}
