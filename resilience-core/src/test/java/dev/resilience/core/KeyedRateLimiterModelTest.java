package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.resilience.core.TokenBucketModelTest.ExactBucket;
import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random seeded sequences of time steps, {@code tryReserve}, {@code tryAcquire} and reads over
 * several keys, each answer checked against references: for keys of one limit, a {@link
 * TokenBucket} of the same config read at the same times; for keys of several limits, a model that
 * asks every limit (each an {@link ExactBucket}) and takes from all or none. Each key has its own
 * references, so any interference between keys shows as a wrong answer. A failing seed is printed
 * in the test's name: rerun it alone.
 */
class KeyedRateLimiterModelTest {

  private static final int SEEDS = 200;
  private static final int STEPS = 600;

  /** Fractional, whole, slow and fast rates, some a hair below 1e9 / a whole number of ns. */
  private static final double[] RATES = {0.3, 1.0 / 3, 0.5, 1, 2.5, 3, 7, 123.4, 1000, 1e6 / 3};

  static LongStream seeds() {
    return LongStream.range(0, SEEDS).map(i -> 0x11_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keysOfOneLimitAnswerExactlyAsATokenBucketOfTheSameConfig(long seed) {
    Run run = new Run(seed, 1);

    run.play();

    assertThat(run.admitted).as("%s admitted something", run).isPositive();
    assertThat(run.limiter.evictions()).isZero();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keysOfSeveralLimitsAnswerExactlyAsAModelThatTakesFromAllOrNone(long seed) {
    Run run = new Run(seed, 2 + new Random(seed).nextInt(Limits.MAX_LIMITS - 1));

    run.play();

    assertThat(run.admitted).as("%s admitted something", run).isPositive();
    assertThat(run.limiter.evictions()).isZero();
  }

  /** The reference of one key: a token bucket per limit, asked all before any is taken from. */
  private static final class KeyModel {

    final RateLimiterConfig[] configs;
    final ExactBucket[] limits;
    final RateLimiter single; // the real single bucket, for keys of one limit

    KeyModel(RateLimiterConfig[] configs, FakeTicker ticker) {
      this.configs = configs;
      this.limits = new ExactBucket[configs.length];
      for (int i = 0; i < configs.length; i++) {
        limits[i] = new ExactBucket(configs[i]);
      }
      this.single =
          configs.length == 1 ? RateLimiter.tokenBucket("model", configs[0], ticker) : null;
    }

    long reserve(long elapsed, long maxWait) {
      long longest = 0;
      for (ExactBucket limit : limits) {
        longest = Math.max(longest, limit.nanosUntilToken(elapsed));
      }
      if (longest > maxWait) {
        return RateLimiter.REJECTED;
      }
      for (ExactBucket limit : limits) {
        limit.reserve(elapsed, Long.MAX_VALUE);
      }
      return longest;
    }
  }

  /** One seeded sequence over a handful of keys, each with a random config per limit. */
  private static final class Run {

    final long seed;
    final Random random;
    final int keys;
    final long start;
    final FakeTicker ticker;
    final KeyModel[] models;
    final KeyedRateLimiter limiter;
    final long shortest;
    final long longest;
    int admitted;
    long elapsed;

    Run(long seed, int limitsPerKey) {
      this.seed = seed;
      this.random = new Random(seed);
      this.keys = 1 + random.nextInt(6);
      // one config per limit, shared by the keys of one tier: two tiers, keys alternate
      RateLimiterConfig[][] tiers = {configs(limitsPerKey), configs(limitsPerKey)};
      long shortestInterval = Long.MAX_VALUE;
      long longestInterval = 0;
      for (RateLimiterConfig[] tier : tiers) {
        for (RateLimiterConfig config : tier) {
          shortestInterval = Math.min(shortestInterval, config.intervalNanos());
          longestInterval = Math.max(longestInterval, config.intervalNanos() * config.burst());
        }
      }
      this.shortest = shortestInterval;
      this.longest = longestInterval;
      // System.nanoTime may be anywhere, even about to overflow: only differences count.
      this.start =
          random.nextInt(8) == 0
              ? Long.MAX_VALUE - random.nextLong(100L * shortest)
              : random.nextLong() / 2;
      this.ticker = new FakeTicker(start);
      this.models = new KeyModel[keys];
      for (int k = 0; k < keys; k++) {
        models[k] = new KeyModel(tiers[k % 2], ticker);
      }
      Limits[] limitsOfTier = {limitsOf(tiers[0]), limitsOf(tiers[1])};
      this.limiter =
          KeyedRateLimiter.inMemory(
              "model", key -> limitsOfTier[Integer.parseInt(key) % 2], keys, ticker);
    }

    private RateLimiterConfig[] configs(int n) {
      RateLimiterConfig[] configs = new RateLimiterConfig[n];
      for (int i = 0; i < n; i++) {
        configs[i] =
            new RateLimiterConfig(
                RATES[random.nextInt(RATES.length)], 1 + random.nextInt(30), Duration.ZERO);
      }
      return configs;
    }

    private static Limits limitsOf(RateLimiterConfig[] configs) {
      Limit[] limits = new Limit[configs.length];
      for (int i = 0; i < configs.length; i++) {
        limits[i] = Limit.of(configs[i]);
        assertThat(limits[i].intervalNanos()).isEqualTo(configs[i].intervalNanos());
      }
      return Limits.of(limits);
    }

    void play() {
      for (int step = 0; step < STEPS; step++) {
        int k = random.nextInt(keys);
        String key = Integer.toString(k);
        KeyModel model = models[k];
        int op = random.nextInt(100);
        if (op < 35) {
          advance(nextAdvance());
        } else if (op < 60) {
          long expected = model.reserve(elapsed, 0);
          boolean acquired = limiter.tryAcquire(key);
          assertThat(acquired)
              .as("%s step %d: tryAcquire(%s)", this, step, key)
              .isEqualTo(expected == 0);
          if (model.single != null) {
            assertThat(model.single.tryAcquire()).isEqualTo(acquired);
          }
          admitted += acquired ? 1 : 0;
        } else if (op < 85) {
          long maxWait = nextMaxWait(model);
          long expected = model.reserve(elapsed, maxWait);
          long wait = limiter.tryReserve(key, maxWait);
          assertThat(wait)
              .as("%s step %d: tryReserve(%s, %d)", this, step, key, maxWait)
              .isEqualTo(expected);
          if (model.single != null) {
            assertThat(model.single.tryReserve(maxWait)).isEqualTo(wait);
          }
          admitted += wait == RateLimiter.REJECTED ? 0 : 1;
        } else {
          read(step, key, model);
        }
      }
    }

    private void read(int step, String key, KeyModel model) {
      long untilAdmitted = 0;
      for (int i = 0; i < model.limits.length; i++) {
        double tokens = limiter.availableTokens(key, i);
        assertThat(tokens)
            .as("%s step %d: availableTokens(%s, %d)", this, step, key, i)
            .isCloseTo(model.limits[i].tokens(elapsed), within(1e-9))
            .isBetween(0.0, (double) model.configs[i].burst());
        long untilToken = limiter.nanosUntilToken(key, i);
        assertThat(untilToken)
            .as("%s step %d: nanosUntilToken(%s, %d)", this, step, key, i)
            .isEqualTo(model.limits[i].nanosUntilToken(elapsed));
        untilAdmitted = Math.max(untilAdmitted, untilToken);
        if (model.single != null) {
          assertThat(model.single.availableTokens()).isEqualTo(tokens);
          assertThat(model.single.nanosUntilToken()).isEqualTo(untilToken);
        }
      }
      assertThat(limiter.nanosUntilAdmitted(key)).isEqualTo(untilAdmitted);
      assertThat(limiter.retryAfter(key)).isEqualTo(Duration.ofNanos(untilAdmitted));
    }

    private void advance(long nanos) {
      ticker.advanceNanos(nanos);
      elapsed += nanos;
    }

    private long nextAdvance() {
      int kind = random.nextInt(100);
      if (kind < 55) {
        return random.nextLong(shortest + 1);
      } else if (kind < 75) {
        return random.nextLong(3 * shortest + 1);
      } else if (kind < 85) {
        return random.nextInt(4); // a few nanoseconds, or none
      } else if (kind < 95) {
        // exactly when some key's next token is due, or one nanosecond before
        KeyModel model = models[random.nextInt(keys)];
        long due = 0;
        for (ExactBucket limit : model.limits) {
          due = Math.max(due, limit.nanosUntilToken(elapsed));
        }
        return Math.max(0, due - random.nextInt(2));
      } else {
        return random.nextLong(2 * longest + 1); // long idle: some limits full again
      }
    }

    private long nextMaxWait(KeyModel model) {
      long due = 0;
      for (ExactBucket limit : model.limits) {
        due = Math.max(due, limit.nanosUntilToken(elapsed));
      }
      int kind = random.nextInt(100);
      if (kind < 20) {
        return 0;
      } else if (kind < 50) {
        return random.nextLong(shortest + 1);
      } else if (kind < 65) {
        return random.nextLong(longest + 1);
      } else if (kind < 75) {
        return due; // exactly enough
      } else if (kind < 85) {
        return Math.max(0, due - 1); // one nanosecond short
      } else if (kind < 95) {
        return random.nextLong(3 * shortest + 1);
      } else {
        return Long.MAX_VALUE;
      }
    }

    @Override
    public String toString() {
      return "seed "
          + seed
          + " ("
          + keys
          + " keys, "
          + limiter.limits("0")
          + " / "
          + limiter.limits(keys > 1 ? "1" : "0")
          + ", ticker from "
          + start
          + ", at +"
          + elapsed
          + " ns)";
    }
  }
}
