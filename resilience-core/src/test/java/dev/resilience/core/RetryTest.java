package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Retries of a guarded call: each attempt is a guarded call of its own, waits grow with full jitter
 * up to the cap, a downstream's Retry-After replaces the wait or ends the retries, and an open
 * breaker or a code not retried ends them at once.
 */
class RetryTest {

  /** A failure the JDK classifier counts as {@code 503}-like: an I/O error is {@code network}. */
  private static final IOException RESET = new IOException("connection reset");

  private final FakeTicker ticker = new FakeTicker();
  private final List<Long> waits = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  private final RetryListener recorder =
      new RetryListener() {
        @Override
        public void onRetried(Guard guard, int attempt, long waitNanos) {
          events.add("retried " + attempt);
        }

        @Override
        public void onExhausted(Guard guard, int attempts) {
          events.add("exhausted " + attempts);
        }

        @Override
        public void onStoppedByBreaker(Guard guard, int attempt) {
          events.add("stopped by breaker " + attempt);
        }

        @Override
        public void onStoppedByRetryAfter(Guard guard, int attempt, long retryAfterNanos) {
          events.add("stopped by retry-after " + attempt);
        }
      };

  private Guard guard(int failThreshold) {
    return ResilienceRegistry.builder()
        .ticker(ticker)
        .rateLimiterDefaults(new RateLimiterConfig(100, 100, Duration.ZERO))
        .circuitBreakerDefaults(
            CircuitBreakerConfig.builder()
                .failThreshold(failThreshold)
                .cooldown(Duration.ofSeconds(30))
                .minDwell(Duration.ZERO)
                .build())
        .build()
        .guard("place_order", "exchange", false);
  }

  /** Retries whose jitter takes the whole cap, so that the waits are the caps themselves. */
  private Retry retry(RetryConfig config, long retryAfterNanos) {
    return new Retry(config, error -> retryAfterNanos, recorder, waits::add, cap -> cap);
  }

  private static RetryConfig attempts(int n) {
    return new RetryConfig(
        n, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, Set.of("network", "timeout"));
  }

  @Test
  void aFailureThatIsRetriedIsTriedAgainUntilItSucceedsWithGrowingWaits() throws Exception {
    Guard guard = guard(100);
    AtomicInteger tries = new AtomicInteger();

    String answer =
        retry(attempts(5), Retry.NO_RETRY_AFTER)
            .call(
                guard,
                null,
                () -> {
                  if (tries.incrementAndGet() < 4) {
                    throw RESET;
                  }
                  return "filled";
                },
                FailureClassifier.jdk());

    assertThat(answer).isEqualTo("filled");
    assertThat(waits).containsExactly(100_000_000L, 200_000_000L, 400_000_000L);
    assertThat(events).containsExactly("retried 1", "retried 2", "retried 3");
    assertThat(guard.breaker().snapshot().callsInWindow()).as("4 guarded attempts").isEqualTo(4);
    assertThat(guard.rateLimiter().availableTokens()).as("4 tokens taken").isEqualTo(96.0);
  }

  @Test
  void theWaitNeverExceedsMaxBackoffAndTheLastFailureReachesTheCaller() {
    Guard guard = guard(100);

    assertThatExceptionOfType(IOException.class)
        .isThrownBy(
            () ->
                retry(attempts(6), Retry.NO_RETRY_AFTER)
                    .call(
                        guard,
                        null,
                        () -> {
                          throw RESET;
                        },
                        FailureClassifier.jdk()))
        .isSameAs(RESET);

    assertThat(waits)
        .containsExactly(100_000_000L, 200_000_000L, 400_000_000L, 800_000_000L, 1_000_000_000L);
    assertThat(events).endsWith("exhausted 6");
  }

  @Test
  void fullJitterDrawsEachWaitBetweenZeroAndTheCap() throws Exception {
    List<Long> caps = new ArrayList<>();
    Retry halves =
        new Retry(
            attempts(3),
            error -> Retry.NO_RETRY_AFTER,
            recorder,
            waits::add,
            cap -> {
              caps.add(cap);
              return cap / 2;
            });

    assertThatExceptionOfType(IOException.class)
        .isThrownBy(
            () ->
                halves.call(
                    guard(100),
                    null,
                    () -> {
                      throw RESET;
                    },
                    FailureClassifier.jdk()));

    assertThat(caps).containsExactly(100_000_000L, 200_000_000L);
    assertThat(waits).containsExactly(50_000_000L, 100_000_000L);
  }

  @Test
  void aCodeNotRetriedReachesTheCallerAtOnce() {
    Guard guard = guard(100);
    Retry retryOnTimeoutOnly =
        retry(attempts(5).withRetryOn(List.of("timeout")), Retry.NO_RETRY_AFTER);

    assertThatExceptionOfType(IOException.class)
        .isThrownBy(
            () ->
                retryOnTimeoutOnly.call(
                    guard,
                    null,
                    () -> {
                      throw RESET;
                    },
                    FailureClassifier.jdk()));
    assertThatExceptionOfType(IllegalArgumentException.class)
        .as("an error the breaker ignores is never retried")
        .isThrownBy(
            () ->
                retryOnTimeoutOnly.call(
                    guard,
                    null,
                    () -> {
                      throw new IllegalArgumentException("bad qty");
                    },
                    FailureClassifier.jdk()));

    assertThat(waits).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void theDownstreamsRetryAfterReplacesTheBackoffOrEndsTheRetriesWhenTooLong() throws Exception {
    Guard guard = guard(100);
    AtomicInteger tries = new AtomicInteger();

    String answer =
        retry(attempts(3), 700_000_000L)
            .call(
                guard,
                null,
                () -> {
                  if (tries.incrementAndGet() == 1) {
                    throw new SocketTimeoutException("read timed out");
                  }
                  return "ok";
                },
                FailureClassifier.jdk());
    assertThat(answer).isEqualTo("ok");
    assertThat(waits).containsExactly(700_000_000L);

    assertThatExceptionOfType(IOException.class)
        .isThrownBy(
            () ->
                retry(attempts(3), 5_000_000_000L)
                    .call(
                        guard,
                        null,
                        () -> {
                          throw RESET;
                        },
                        FailureClassifier.jdk()));
    assertThat(events).containsExactly("retried 1", "stopped by retry-after 1");
  }

  @Test
  void anOpenBreakerEndsTheRetries() {
    Guard guard = guard(2);

    assertThatExceptionOfType(CircuitOpenException.class)
        .isThrownBy(
            () ->
                retry(attempts(5), Retry.NO_RETRY_AFTER)
                    .call(
                        guard,
                        null,
                        () -> {
                          throw RESET;
                        },
                        FailureClassifier.jdk()));

    assertThat(events).containsExactly("retried 1", "retried 2", "stopped by breaker 3");
    assertThat(guard.breaker().state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void nextWaitNanosAnswersTheWaitOrStopAndTellsTheListenerAsCallDoes() {
    Guard guard = guard(100);
    Retry retry = retry(attempts(3), Retry.NO_RETRY_AFTER);

    assertThat(retry.nextWaitNanos(guard, 1, RESET, FailureClassifier.jdk()))
        .isEqualTo(100_000_000L);
    assertThat(retry.nextWaitNanos(guard, 2, RESET, FailureClassifier.jdk()))
        .isEqualTo(200_000_000L);
    assertThat(retry.nextWaitNanos(guard, 3, RESET, FailureClassifier.jdk()))
        .as("the last allowed attempt")
        .isEqualTo(Retry.STOP);
    assertThat(
            retry.nextWaitNanos(
                guard, 1, new IllegalArgumentException("bad qty"), FailureClassifier.jdk()))
        .as("an error the breaker ignores")
        .isEqualTo(Retry.STOP);

    assertThat(events).containsExactly("retried 1", "retried 2", "exhausted 3");
    assertThat(waits).as("it decides; it never sleeps").isEmpty();
  }

  @Test
  void nextWaitNanosStopsOnRejectionsAndOnATooLongRetryAfter() {
    Guard guard = guard(100);
    Retry retry = retry(attempts(5), Retry.NO_RETRY_AFTER);
    CircuitOpenException open = new CircuitOpenException("place_order", "exchange", 1_000_000_000L);
    RateLimitedException limited = new RateLimitedException("place_order", 1_000_000L);

    assertThat(retry.nextWaitNanos(guard, 1, open, FailureClassifier.jdk())).isEqualTo(Retry.STOP);
    assertThat(retry.nextWaitNanos(guard, 2, open, FailureClassifier.jdk())).isEqualTo(Retry.STOP);
    assertThat(retry.nextWaitNanos(guard, 2, limited, FailureClassifier.jdk()))
        .as("the caller's own bucket has its own wait")
        .isEqualTo(Retry.STOP);
    assertThat(
            retry(attempts(5), 2_000_000_000L)
                .nextWaitNanos(guard, 1, RESET, FailureClassifier.jdk()))
        .isEqualTo(Retry.STOP);
    assertThat(
            retry(attempts(5), 300_000_000L)
                .nextWaitNanos(guard, 1, RESET, FailureClassifier.jdk()))
        .as("a Retry-After within max-backoff replaces the backoff")
        .isEqualTo(300_000_000L);

    assertThat(events)
        .containsExactly("stopped by breaker 2", "stopped by retry-after 1", "retried 1");
  }

  @Test
  void badSettingsNameTheFieldAndIoMeansNetwork() {
    assertThat(RetryConfig.defaults().retryOn())
        .containsExactlyInAnyOrder("429", "502", "503", "504", "timeout", "network");
    assertThat(RetryConfig.defaults().maxAttempts()).isEqualTo(1);
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> RetryConfig.defaults().withMaxAttempts(0))
        .withMessageContaining("maxAttempts");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(
            () ->
                new RetryConfig(
                    3, Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, Set.of("503")))
        .withMessageContaining("maxBackoff");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(
            () ->
                new RetryConfig(
                    3, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, Set.of("503")))
        .withMessageContaining("multiplier");
  }
}
