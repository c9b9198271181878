package dev.resilience.core;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a breaker looks like at one instant, for endpoints, health checks and tests.
 *
 * @param name the breaker's name
 * @param state the state
 * @param forced whether an operator forced this state; a forced OPEN stays until forced otherwise,
 *     and a forced CLOSED ({@link CircuitBreaker#holdClosed()}) is not opened by failures
 * @param timeInState how long the breaker has been in {@code state}
 * @param failuresInWindow weighted failures inside the sliding window
 * @param callsInWindow calls that completed inside the window, failures included
 * @param failureCodes failures inside the window by code (unweighted counts), ordered by code
 * @param retryAfter time until the breaker may let a probe through; zero unless OPEN
 * @param probesInFlight probe calls under way (HALF_OPEN only)
 */
public record CircuitBreakerSnapshot(
    String name,
    CircuitState state,
    boolean forced,
    Duration timeInState,
    double failuresInWindow,
    long callsInWindow,
    Map<String, Long> failureCodes,
    Duration retryAfter,
    int probesInFlight) {

  /** Copies {@code failureCodes} so the snapshot stays immutable. */
  public CircuitBreakerSnapshot {
    failureCodes = Collections.unmodifiableMap(new TreeMap<>(failureCodes));
  }
}
