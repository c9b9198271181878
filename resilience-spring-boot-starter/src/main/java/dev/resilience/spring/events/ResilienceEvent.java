package dev.resilience.spring.events;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the {@link ResilienceEvents} log.
 *
 * <p>Every kind reads the same way, "{@code name} went from {@code from} to {@code to}", so that a
 * page or a script shows any kind without knowing it: a transition goes from one breaker state to
 * another, a limit change from the old limits to the new ones, a backend switch from the store to
 * its on-failure mode and back.
 *
 * @param sequence the position of the event in the log since start-up, from 0; a later event has a
 *     larger one, so a reader can tell what it has already seen
 * @param time when the event was recorded
 * @param kind what happened
 * @param name the breaker, endpoint or backend it happened to
 * @param from the state or value before, or null when it has none
 * @param to the state or value after, or null when it has none
 * @param detail anything else worth reading (an operator's name, a store's error), or null
 */
public record ResilienceEvent(
    long sequence,
    Instant time,
    Kind kind,
    String name,
    @Nullable String from,
    @Nullable String to,
    @Nullable String detail) {

  /** Checks that the required parts are there. */
  public ResilienceEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** What happened; {@link #id()} is how the actuator and the live page spell it. */
  public enum Kind {

    /** A breaker changed state by itself (failures, cooldown, probes) or because it was forced. */
    TRANSITION("transition"),

    /** An operator forced a breaker (open, close, reset), one or all of them. */
    FORCED("forced"),

    /** An operator changed an endpoint's limits, or restored the configured ones. */
    LIMIT("limit"),

    /**
     * The rate-limit backend stopped answering and its on-failure mode took over, or it is back.
     */
    BACKEND("backend");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    /** Returns the kind in lower case, as the JSON spells it. */
    public String id() {
      return id;
    }
  }
}
