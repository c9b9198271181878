package dev.resilience.spring.autoconfigure;

import java.util.List;

/**
 * The names no breaker, endpoint or inbound rule may take: they are paths of the {@code resilience}
 * actuator endpoint ({@code /actuator/resilience/events}, {@code /actuator/resilience/keys/...}),
 * where a breaker of that name could be neither read nor forced.
 */
public final class ReservedNames {

  /** The reserved names, in the order an error lists them. */
  public static final List<String> NAMES = List.of("events", "keys");

  private ReservedNames() {}

  /** Returns whether {@code name} is reserved. */
  public static boolean isReserved(String name) {
    return NAMES.contains(name);
  }
}
