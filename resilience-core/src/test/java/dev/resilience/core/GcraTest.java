package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** The GCRA rule against the shared table, both as arithmetic and through the in-process bucket. */
class GcraTest {

  @ParameterizedTest(name = "{0}")
  @CsvFileSource(
      resources = "gcra-cases.csv",
      delimiter = ',',
      ignoreLeadingAndTrailingWhitespace = true)
  void theArithmeticGivesTheTablesAnswers(
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
  }

  @ParameterizedTest(name = "{0}")
  @CsvFileSource(
      resources = "gcra-cases.csv",
      delimiter = ',',
      ignoreLeadingAndTrailingWhitespace = true)
  void theInProcessBucketGivesTheTablesAnswers(
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
    FakeTicker ticker = new FakeTicker(now);
    TokenBucket bucket =
        new TokenBucket(
            "table", new RateLimiterConfig(1e9 / interval, burst, Duration.ZERO), ticker, tat);

    assertThat(bucket.availableTokens()).as("tokens before").isEqualTo(tokensBefore);
    assertThat(bucket.nanosUntilToken()).as("until a token").isEqualTo(untilTokenBefore);
    long reserved = bucket.tryReserve(maxWait, now);
    assertThat(reserved).as("wait").isEqualTo(wait == -1 ? RateLimiter.REJECTED : wait);
    assertThat(bucket.tat()).as("tat afterwards").isEqualTo(tatAfter);
  }
}
