package dev.resilience.spring.inbound;

import dev.resilience.spring.inbound.InboundListener.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code resilience.inbound.requests} {@code {rule, outcome}} (Prometheus: {@code
 * resilience_inbound_requests_total}): each rule's outcome for each request it matched, {@code
 * admitted}, {@code rejected}, {@code bypassed} or {@code shadow_rejected}, and for a rule with an
 * adaptive limit {@code rejected_capacity}. Every series exists from start-up; a request increments
 * a counter held in an array.
 */
final class InboundMeters implements MeterBinder, InboundListener {

  static final String REQUESTS = "resilience.inbound.requests";

  private static final Outcome[] OUTCOMES = Outcome.values();

  private final List<String> rules;
  private final Set<String> adaptive;

  /**
   * Indexed by {@code [registry][rule][outcome]}: one set per meter registry bound, usually one;
   * empty until bound.
   */
  private volatile Counter[][][] counters = new Counter[0][][];

  /**
   * @param rules the rules' names in declaration order
   * @param adaptive the names of those that have an adaptive limit
   */
  InboundMeters(List<String> rules, Set<String> adaptive) {
    this.rules = List.copyOf(rules);
    this.adaptive = Set.copyOf(adaptive);
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Counter[][] bound = new Counter[rules.size()][OUTCOMES.length];
    for (int rule = 0; rule < rules.size(); rule++) {
      for (Outcome outcome : OUTCOMES) {
        if (outcome == Outcome.REJECTED_CAPACITY && !adaptive.contains(rules.get(rule))) {
          continue;
        }
        bound[rule][outcome.ordinal()] =
            Counter.builder(REQUESTS)
                .description("Requests an inbound rule matched, by what it did with them")
                .tag("rule", rules.get(rule))
                .tag("outcome", outcome.tag())
                .register(registry);
      }
    }
    Counter[][][] all = Arrays.copyOf(counters, counters.length + 1);
    all[all.length - 1] = bound;
    counters = all;
  }

  @Override
  public void onRequest(int rule, Outcome outcome) {
    for (Counter[][] bound : counters) {
      bound[rule][outcome.ordinal()].increment();
    }
  }
}
