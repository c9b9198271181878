package dev.resilience.core;

/**
 * Told of every state change of a breaker, exactly once per change, after it has happened.
 *
 * <p>Called on the thread that made the change; keep it short. An exception it throws is logged and
 * does not reach the call that caused the change.
 */
@FunctionalInterface
public interface TransitionListener {

  /** Called after {@code breaker} moved from {@code from} to {@code to}. */
  void onTransition(CircuitBreaker breaker, CircuitState from, CircuitState to);
}
