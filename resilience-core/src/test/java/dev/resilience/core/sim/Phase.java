package dev.resilience.core.sim;

import java.time.Duration;

/**
 * One phase of a {@link Simulation}: an open-loop load going linearly from {@code fromPerSecond} to
 * {@code toPerSecond} arrivals a second, against a downstream serving {@code capacity} calls at
 * once.
 */
public record Phase(
    String name, Duration duration, double fromPerSecond, double toPerSecond, int capacity) {

  /** A phase of constant load. */
  public static Phase steady(String name, Duration duration, double perSecond, int capacity) {
    return new Phase(name, duration, perSecond, perSecond, capacity);
  }
}
