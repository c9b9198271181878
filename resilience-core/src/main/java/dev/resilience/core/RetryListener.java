package dev.resilience.core;

/** Told what {@link Retry} does with each failed attempt; every method does nothing by default. */
public interface RetryListener {

  /** Attempt {@code attempt} failed and another comes after {@code waitNanos}. */
  default void onRetried(Guard guard, int attempt, long waitNanos) {}

  /** The last allowed attempt failed; its error reaches the caller. */
  default void onExhausted(Guard guard, int attempts) {}

  /** The breaker rejected attempt {@code attempt} (after the first): no more attempts. */
  default void onStoppedByBreaker(Guard guard, int attempt) {}

  /** The downstream asked for a wait longer than {@code maxBackoff}: no more attempts. */
  default void onStoppedByRetryAfter(Guard guard, int attempt, long retryAfterNanos) {}
}
