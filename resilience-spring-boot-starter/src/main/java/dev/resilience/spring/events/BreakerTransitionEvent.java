package dev.resilience.spring.events;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitState;
import java.time.Instant;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Published to the application context each time a breaker changes state, whether by its own rules
 * or forced by an operator, so that applications can react in their own code:
 *
 * <pre>{@code
 * @EventListener
 * void onTransition(BreakerTransitionEvent event) {
 *   if (event.to() == CircuitState.OPEN) {
 *     alerts.page("breaker " + event.breakerName() + " opened at " + event.time());
 *   }
 * }
 * }</pre>
 *
 * <p>Like every Spring event it is delivered on the publishing thread, which is the thread of the
 * call or the operator action that made the change: a listener that does more than a moment's work
 * should be {@code @Async} (with {@code @EnableAsync}) or hand the work on. An exception thrown by
 * a listener is logged by the breaker and never reaches the guarded call.
 */
public final class BreakerTransitionEvent extends ApplicationEvent {

  private static final long serialVersionUID = 1L;

  private final String breakerName;
  private final CircuitState from;
  private final CircuitState to;
  private final Instant time;

  /**
   * Creates the event of {@code breaker} moving from {@code from} to {@code to} at {@code time}.
   */
  public BreakerTransitionEvent(
      CircuitBreaker breaker, CircuitState from, CircuitState to, Instant time) {
    super(breaker);
    this.breakerName = breaker.name();
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** Returns the breaker that changed state; the same object as {@link #getSource()}. */
  public CircuitBreaker breaker() {
    return (CircuitBreaker) getSource();
  }

  /** Returns the name of the breaker that changed state. */
  public String breakerName() {
    return breakerName;
  }

  /** Returns the state the breaker left. */
  public CircuitState from() {
    return from;
  }

  /** Returns the state the breaker entered. */
  public CircuitState to() {
    return to;
  }

  /** Returns when the change was recorded, by the same clock as {@link ResilienceEvents}. */
  public Instant time() {
    return time;
  }

  @Override
  public String toString() {
    return "BreakerTransitionEvent{"
        + breakerName
        + ": "
        + from
        + " -> "
        + to
        + " at "
        + time
        + '}';
  }
}
