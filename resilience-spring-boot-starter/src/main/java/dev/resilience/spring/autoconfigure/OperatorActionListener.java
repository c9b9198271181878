package dev.resilience.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Told of every action an operator took on the breakers and buckets (forcing a breaker, the global
 * kill switch, changing or restoring an endpoint's or inbound rule's limits, resetting a key),
 * after it took effect. The starter's metrics count them; every bean of this type is told. The
 * starter's own seam between the concern that performs the actions (the actuator endpoint) and
 * those that record them.
 */
@FunctionalInterface
public interface OperatorActionListener {

  /** Called once per action, on the thread that performed it, after it took effect. */
  void onOperatorAction(Action action);

  /**
   * One action an operator took.
   *
   * @param action what was done, one of {@link #ACTIONS}
   * @param target the breaker, endpoint or inbound rule acted on; null for an action on every
   *     breaker
   * @param description the action in words, with the old and new values of a limit change, as the
   *     audit log shows it
   * @param principal who did it, when the application authenticates operators; else null
   */
  record Action(
      String action, @Nullable String target, String description, @Nullable String principal) {}

  /** Every action, as metrics tag it: bounded, so that each may have its own series. */
  java.util.List<String> ACTIONS =
      java.util.List.of(
          "open",
          "close",
          "reset",
          "open-all",
          "close-all",
          "reset-all",
          "limit",
          "restore",
          "reset-key");
}
