package dev.resilience.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an endpoint's bulkhead: at most {@code maxConcurrent} of its calls in flight at once,
 * a call waiting up to {@code maxWait} for a slot. {@code maxConcurrent} 0 means no bulkhead.
 *
 * @param maxConcurrent the most calls in flight at once; 0 for no limit
 * @param maxWait how long a call may wait for a slot before it is rejected; zero never waits
 */
public record BulkheadConfig(int maxConcurrent, Duration maxWait) {

  private static final BulkheadConfig NONE = new BulkheadConfig(0, Duration.ZERO);

  /**
   * Validates the settings.
   *
   * @throws InvalidConfigException if {@code maxConcurrent} is negative or {@code maxWait} negative
   */
  public BulkheadConfig {
    Checks.atLeast("maxConcurrent", maxConcurrent, 0);
    Checks.notNegative("maxWait", Objects.requireNonNull(maxWait, "maxWait"));
  }

  /** Returns the settings of no bulkhead: every call may run at once. */
  public static BulkheadConfig none() {
    return NONE;
  }

  /** Returns whether this config limits anything. */
  public boolean enabled() {
    return maxConcurrent > 0;
  }
}
