package dev.resilience.spring.metrics;

import dev.resilience.core.Guard;
import dev.resilience.core.RetryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts what retries do, in {@code resilience_retries_total{endpoint, outcome}}: {@code retried}
 * (an attempt failed and another follows), {@code exhausted} (the last allowed attempt failed),
 * {@code stopped_by_breaker} (the breaker rejected a retry) and {@code stopped_by_retry_after} (the
 * downstream asked for a wait longer than {@code max-backoff}).
 */
public final class RetryMeters implements RetryListener {

  static final String RETRIES = "resilience.retries";

  private final MeterRegistry registry;

  public RetryMeters(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void onRetried(Guard guard, int attempt, long waitNanos) {
    counter(guard, "retried").increment();
  }

  @Override
  public void onExhausted(Guard guard, int attempts) {
    counter(guard, "exhausted").increment();
  }

  @Override
  public void onStoppedByBreaker(Guard guard, int attempt) {
    counter(guard, "stopped_by_breaker").increment();
  }

  @Override
  public void onStoppedByRetryAfter(Guard guard, int attempt, long retryAfterNanos) {
    counter(guard, "stopped_by_retry_after").increment();
  }

  // retries are the slow path: a registry lookup per event costs nothing next to the wait
  private Counter counter(Guard guard, String outcome) {
    return Counter.builder(RETRIES)
        .description("What retries of guarded calls did")
        .tag("endpoint", guard.endpoint())
        .tag("outcome", outcome)
        .register(registry);
  }
}
