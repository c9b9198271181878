package dev.resilience.core;

import java.time.Duration;

/**
 * A circuit breaker over a sliding time window of weighted failures, as operators and monitoring
 * see it: its state, its counts, and the switches to force it. Calls go through a {@link Guard},
 * which asks the breaker for a permit and reports each call's outcome exactly once; breakers are
 * made by a {@link ResilienceRegistry}.
 *
 * <p>States move CLOSED to OPEN when the window's weighted failures reach {@code failThreshold} (or
 * the failure rate reaches {@code failureRateThreshold} over at least {@code minimumCalls}), OPEN
 * to HALF_OPEN once {@code cooldown} has passed, HALF_OPEN to CLOSED after {@code probeCount}
 * successful probes in a row, and HALF_OPEN to OPEN on any failed probe. Moves toward more traffic
 * also wait until the breaker has been {@code minDwell} in its state; moves toward safety are
 * immediate. The allowed moves are the table in {@link CircuitState}.
 *
 * <p>No thread is involved: the move from OPEN to HALF_OPEN happens at the first call or the first
 * read ({@link #state()}, {@link #snapshot()}, {@link #retryAfterNanos()}) after the cooldown, so
 * that what the actuator, the health check and the state gauge show is true on an idle service.
 *
 * <p>A probe still in flight {@code cooldown} after the last probe activity counts as a {@code
 * timeout} failure and reopens the breaker, so that a probe that never reports back cannot wedge
 * it.
 */
public interface CircuitBreaker {

  /** Returns the breaker's name. */
  String name();

  /** Returns the breaker's settings. */
  CircuitBreakerConfig config();

  /** Returns the current state, after any move the passing of time has made due. */
  CircuitState state();

  /** Returns the nanoseconds until the breaker may let a probe through; 0 unless OPEN. */
  long retryAfterNanos();

  /** Returns {@link #retryAfterNanos()} as a duration. */
  default Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos());
  }

  /** Returns the state, counts and timing of this breaker now. */
  CircuitBreakerSnapshot snapshot();

  /** Forces the breaker OPEN until {@link #forceClose()} or {@link #reset()}: no probes. */
  void forceOpen();

  /**
   * Forces the breaker CLOSED, keeping the failures in its window; it opens again by itself when
   * they say so, and stops holding a state it was forced to hold.
   */
  void forceClose();

  /**
   * Forces the breaker CLOSED and holds it there until {@link #forceOpen()}, {@link #forceClose()}
   * or {@link #reset()}: failures are still counted, but do not open it. For a breaker that trips
   * on failures the application knows to be harmless, while they are fixed.
   */
  void holdClosed();

  /** Forces the breaker CLOSED with an empty window, holding no state it was forced to hold. */
  void reset();

  /** Adds a listener told of every later state change. */
  void addListener(TransitionListener listener);
}
