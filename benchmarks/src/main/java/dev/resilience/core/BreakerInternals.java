package dev.resilience.core;

/**
 * The breaker's package-private permit API, for benchmarks that measure the breaker alone, the way
 * a {@link Guard} drives it. Applications never see permits: they run calls through a guard.
 */
public final class BreakerInternals {

  /** What {@link #tryAcquirePermission} returns for a rejected call. */
  public static final long NO_PERMIT = TimeWindowCircuitBreaker.NO_PERMIT;

  private BreakerInternals() {}

  /** Creates a breaker outside any registry. */
  public static CircuitBreaker newBreaker(String name, CircuitBreakerConfig config, Ticker ticker) {
    return new TimeWindowCircuitBreaker(name, config, ticker);
  }

  /** Asks {@code breaker} for a permit. */
  public static long tryAcquirePermission(CircuitBreaker breaker, boolean allowlisted) {
    return ((TimeWindowCircuitBreaker) breaker).tryAcquirePermission(allowlisted);
  }

  /** Reports a success that took {@code durationNanos}. */
  public static void onSuccess(CircuitBreaker breaker, long permit, long durationNanos) {
    ((TimeWindowCircuitBreaker) breaker).onSuccess(permit, durationNanos);
  }

  /** Gives a permit back without an outcome. */
  public static void releasePermission(CircuitBreaker breaker, long permit) {
    ((TimeWindowCircuitBreaker) breaker).releasePermission(permit);
  }

  /** Reports a failure under {@code code}. */
  public static void onFailure(CircuitBreaker breaker, long permit, String code) {
    ((TimeWindowCircuitBreaker) breaker).onFailure(permit, code);
  }
}
