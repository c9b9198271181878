package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The GCRA rule against the shared table of cases, as arithmetic and through the in-process bucket:
 * both must give the table's answers, as any other store of buckets must.
 */
class GcraTest {

  @ParameterizedTest(name = "{0}")
  @CsvFileSource(
      resources = "gcra-cases.csv",
      delimiter = ',',
      ignoreLeadingAndTrailingWhitespace = true)
  void theArithmeticAndTheInProcessBucketGiveTheTablesAnswers(
      String name,
      long interval,
      int burst,
      long tat,
      long now,
      long maxWait,
      long wait,
      long tatAfter,
      double tokensBefore,
      long untilTokenBefore) {
    long tolerance = Gcra.tolerance(interval, burst);
    long computedWait = Gcra.waitNanos(tat, now, tolerance);
    boolean admitted = computedWait <= maxWait;
    assertThat(admitted ? Math.max(0, computedWait) : -1).as("wait").isEqualTo(wait);
    assertThat(admitted ? Gcra.next(tat, now, interval) : tat)
        .as("tat afterwards")
        .isEqualTo(tatAfter);
    assertThat(Gcra.availableTokens(tat, now, interval, burst))
        .as("tokens before")
        .isEqualTo(tokensBefore);
    assertThat(Gcra.nanosUntilToken(tat, now, tolerance))
        .as("until a token")
        .isEqualTo(untilTokenBefore);

    TokenBucket bucket =
        new TokenBucket(
            "table",
            new RateLimiterConfig(1e9 / interval, burst, Duration.ZERO),
            new FakeTicker(now),
            tat);
    assertThat(bucket.availableTokens()).as("bucket: tokens before").isEqualTo(tokensBefore);
    assertThat(bucket.nanosUntilToken()).as("bucket: until a token").isEqualTo(untilTokenBefore);
    assertThat(bucket.tryReserve(maxWait, now))
        .as("bucket: wait")
        .isEqualTo(wait == -1 ? RateLimiter.REJECTED : wait);
    assertThat(bucket.tat()).as("bucket: tat afterwards").isEqualTo(tatAfter);
  }
}
