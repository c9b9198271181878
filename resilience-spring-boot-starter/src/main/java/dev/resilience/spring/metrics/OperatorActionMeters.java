package dev.resilience.spring.metrics;

import dev.resilience.spring.autoconfigure.OperatorActionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts what operators did to the breakers and buckets, in {@code
 * resilience_operator_actions_total{action}}: one series per action ({@link
 * OperatorActionListener#ACTIONS}), each registered at zero from start-up so that an alert on an
 * increase sees the first one.
 */
public final class OperatorActionMeters implements OperatorActionListener {

  static final String OPERATOR_ACTIONS = "resilience.operator.actions";

  private final Map<String, Counter> counters = new HashMap<>();

  public OperatorActionMeters(MeterRegistry registry) {
    for (String action : ACTIONS) {
      counters.put(
          action,
          Counter.builder(OPERATOR_ACTIONS)
              .description("Actions operators took on breakers and buckets")
              .tag("action", action)
              .register(registry));
    }
  }

  @Override
  public void onOperatorAction(Action action) {
    Counter counter = counters.get(action.action());
    if (counter != null) {
      counter.increment();
    }
  }
}
