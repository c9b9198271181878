package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.autoconfigure.ResilienceProperties.Inbound;
import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link InboundConfig} keeps of the properties as they were written. */
class InboundConfigTest {

  @Test
  void anAdaptiveLimitsPartitionsKeepTheOrderTheyWereWrittenIn() {
    List<String> tiers = List.of("h", "g", "f", "e", "d", "c", "b", "a");
    InboundRule rule = new InboundRule();
    rule.getAdaptive().setEnabled(true);
    for (String tier : tiers) {
      rule.getAdaptive().getPartitions().put(tier, 0.1);
    }
    Inbound inbound = new Inbound();
    inbound.setRules(Map.of("api", rule));

    InboundConfig config = InboundConfig.of(inbound);

    // the actuator lists them in this order, then the keys of no listed tier
    assertThat(config.rules().get(0).adaptive().partitions().keySet())
        .containsExactlyElementsOf(tiers);
  }
}
