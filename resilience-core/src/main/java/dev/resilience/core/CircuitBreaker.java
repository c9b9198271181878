package dev.resilience.core;

import java.time.Duration;

/**
 * A circuit breaker over a sliding time window of weighted failures.
 *
 * <p>A guarded call asks for a permit first and reports exactly one outcome for it:
 *
 * <pre>{@code
 * long permit = breaker.tryAcquirePermission(false);
 * if (permit == CircuitBreaker.REJECTED) {
 *   throw new CircuitOpenException(endpoint, breaker.name(), breaker.retryAfterNanos());
 * }
 * long start = ticker.read();
 * try {
 *   T result = call();
 *   breaker.onSuccess(permit, ticker.read() - start);
 *   return result;
 * } catch (IOException e) {
 *   breaker.onFailure(permit, ticker.read() - start, "network");
 *   throw e;
 * }
 * }</pre>
 *
 * <p>An outcome that is neither (the call was not made after all, or failed in a way that says
 * nothing about the downstream) gives the permit back with {@link #releasePermission}. The permit
 * is a plain {@code long} so that the success path allocates nothing; it remembers which state the
 * permit was granted in, so that a late report from an earlier state cannot count as a probe.
 *
 * <p>States move CLOSED to OPEN when the window's weighted failures reach {@code failThreshold} (or
 * the failure rate reaches {@code failureRateThreshold} over at least {@code minimumCalls}), OPEN
 * to HALF_OPEN once {@code cooldown} has passed (checked on the next call, no thread involved),
 * HALF_OPEN to CLOSED after {@code probeCount} successful probes in a row, and HALF_OPEN to OPEN on
 * any failed probe. Moves toward more traffic also wait until the breaker has been {@code minDwell}
 * in its state; moves toward safety are immediate. A probe still in flight {@code cooldown} after
 * the last probe activity counts as a {@code timeout} failure and reopens the breaker, so that a
 * probe that never reports back cannot wedge it.
 */
public interface CircuitBreaker {

  /** What {@link #tryAcquirePermission} returns for a rejected call. */
  long REJECTED = 0;

  /** The failure code of a call slower than the configured slow-call duration. */
  String SLOW = "slow";

  /** The failure code of a timeout, including a probe that never reported back. */
  String TIMEOUT = "timeout";

  /**
   * Creates a breaker.
   *
   * @param name 1 to 64 of {@code [A-Za-z0-9_.-]}
   */
  static CircuitBreaker of(String name, CircuitBreakerConfig config, Ticker ticker) {
    return new TimeWindowCircuitBreaker(Checks.name("name", name), config, ticker);
  }

  /** Returns the breaker's name. */
  String name();

  /** Returns the breaker's settings. */
  CircuitBreakerConfig config();

  /**
   * Asks to make one call.
   *
   * @param allowlisted whether the call passes even while the breaker is OPEN or HALF_OPEN (health
   *     checks, reconciliation). Its failures still count toward opening the breaker and reopen a
   *     HALF_OPEN one; its success never closes it.
   * @return a permit to hand to exactly one of {@link #onSuccess}, {@link #onFailure} or {@link
   *     #releasePermission}, or {@link #REJECTED}
   */
  long tryAcquirePermission(boolean allowlisted);

  /**
   * Reports that a permitted call succeeded. A call slower than {@code slowCallDuration} counts as
   * a failure with code {@link #SLOW}.
   */
  void onSuccess(long permit, long durationNanos);

  /**
   * Reports that a permitted call failed in a way that counts against the downstream.
   *
   * @param code the failure code, such as {@code 503}, {@code 429}, {@code timeout} or {@code
   *     network}; it selects the failure's weight and is counted per code
   */
  void onFailure(long permit, long durationNanos, String code);

  /** Gives a permit back without an outcome, e.g. when a rate limiter rejected the call after all. */
  void releasePermission(long permit);

  /** Returns the current state. An elapsed cooldown shows only after the next call asks. */
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

  /** Forces the breaker CLOSED, keeping the failures in its window. */
  void forceClose();

  /** Forces the breaker CLOSED with an empty window. */
  void reset();

  /** Adds a listener told of every later state change. */
  void addListener(TransitionListener listener);
}
