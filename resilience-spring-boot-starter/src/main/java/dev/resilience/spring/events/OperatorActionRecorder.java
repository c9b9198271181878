package dev.resilience.spring.events;

import dev.resilience.spring.autoconfigure.OperatorActionListener;

/**
 * Records each operator action in the events log: a limit change or restore as a {@code limit}
 * event, every other action (forcing one breaker, or all of them) as a {@code forced} event, named
 * after its breaker or endpoint, or {@code *} for all breakers, with the audit log's words.
 */
final class OperatorActionRecorder implements OperatorActionListener {

  private final ResilienceEvents events;

  OperatorActionRecorder(ResilienceEvents events) {
    this.events = events;
  }

  @Override
  public void onOperatorAction(Action action) {
    boolean limits = action.action().equals("limit") || action.action().equals("restore");
    String by = action.principal() == null ? "" : " (by '" + action.principal() + "')";
    events.record(
        limits ? ResilienceEvent.Kind.LIMIT : ResilienceEvent.Kind.FORCED,
        action.target() == null ? "*" : action.target(),
        null,
        null,
        action.action() + ": " + action.description() + by);
  }
}
