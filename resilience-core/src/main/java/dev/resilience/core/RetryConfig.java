package dev.resilience.core;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of an endpoint's retries: up to {@code maxAttempts} attempts in all, each a guarded call
 * of its own; before attempt {@code n + 1}, a wait drawn at random between zero and {@code
 * min(maxBackoff, initialBackoff * multiplier^(n - 1))} ("full jitter"). Only failures whose code
 * is in {@code retryOn} are retried.
 *
 * @param maxAttempts attempts in all, the first included; 1 never retries
 * @param initialBackoff the cap of the first wait
 * @param maxBackoff the cap of every wait; a downstream's {@code Retry-After} longer than it ends
 *     the retries
 * @param multiplier how much the cap grows per attempt, at least 1
 * @param retryOn the failure codes that are retried ({@code 429}, {@code 503}, {@code timeout},
 *     {@code network}; {@code io} is read as {@code network})
 */
public record RetryConfig(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    Set<String> retryOn) {

  private static final RetryConfig DEFAULTS =
      new RetryConfig(
          1,
          Duration.ofMillis(100),
          Duration.ofSeconds(10),
          2.0,
          Set.of("429", "502", "503", "504", FailureCodes.TIMEOUT, "io"));

  /**
   * Validates the settings and reads {@code io} in {@code retryOn} as {@code network}.
   *
   * @throws InvalidConfigException if a value is out of range
   */
  public RetryConfig {
    Checks.atLeast("maxAttempts", maxAttempts, 1);
    Checks.notNegative("initialBackoff", initialBackoff);
    Checks.notNegative("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new InvalidConfigException(
          "maxBackoff", maxBackoff.toString(), "at least initialBackoff (" + initialBackoff + ")");
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new InvalidConfigException("multiplier", Double.toString(multiplier), "at least 1");
    }
    Set<String> codes = new LinkedHashSet<>();
    for (String code : Objects.requireNonNull(retryOn, "retryOn")) {
      if (code == null || code.isBlank()) {
        throw new InvalidConfigException("retryOn", String.valueOf(code), "a failure code");
      }
      codes.add(code.equals("io") ? FailureCodes.NETWORK : code);
    }
    retryOn = Set.copyOf(codes);
  }

  /** Returns the defaults: one attempt (no retries), 100 ms, 10 s, 2.0, the usual codes. */
  public static RetryConfig defaults() {
    return DEFAULTS;
  }

  /** Returns these settings with {@code maxAttempts} attempts in all. */
  public RetryConfig withMaxAttempts(int maxAttempts) {
    return new RetryConfig(maxAttempts, initialBackoff, maxBackoff, multiplier, retryOn);
  }

  /** Returns these settings retrying on {@code codes}. */
  public RetryConfig withRetryOn(List<String> codes) {
    return new RetryConfig(
        maxAttempts, initialBackoff, maxBackoff, multiplier, new LinkedHashSet<>(codes));
  }

  /** Returns whether a failure of {@code code} is retried. */
  public boolean retries(String code) {
    return retryOn.contains(code);
  }

  /** Returns the cap of the wait before attempt {@code attempt + 1}, in nanoseconds. */
  long backoffCapNanos(int attempt) {
    double cap = initialBackoff.toNanos() * Math.pow(multiplier, attempt - 1);
    return (long) Math.min(cap, maxBackoff.toNanos());
  }
}
