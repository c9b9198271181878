package dev.resilience.spring.inbound;

import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundAdaptive;
import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundRule;
import dev.resilience.spring.autoconfigure.ResiliencePropertiesCheck;
import java.util.Map;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Checks {@code resilience.inbound} for the strict check's report: every value {@link
 * InboundConfig} cannot read, and rules with tiers in an application that has no {@link
 * TierResolver}. Listed in {@code META-INF/spring.factories}.
 */
final class InboundPropertiesCheck implements ResiliencePropertiesCheck {

  private static final String PATH_PATTERNS = "org.springframework.web.util.pattern.PathPattern";

  @Override
  public void check(ResilienceProperties properties, ListableBeanFactory beans, Report report) {
    ResilienceProperties.Inbound inbound = properties.getInbound();
    if (inbound.getRules().isEmpty() && inbound.getBypassCidrs().isEmpty()) {
      return;
    }
    if (!ClassUtils.isPresent(PATH_PATTERNS, getClass().getClassLoader())) {
      return; // no spring-web, so no web application: the filter will not exist
    }
    InboundConfig.read(inbound, report);
    boolean resolver =
        BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beans, TierResolver.class, true, false)
                .length
            > 0;
    if (resolver) {
      return;
    }
    for (Map.Entry<String, InboundRule> rule : inbound.getRules().entrySet()) {
      if (!rule.getValue().getTiers().isEmpty()) {
        String tiers = String.join(", ", rule.getValue().getTiers().keySet());
        report.add(
            InboundConfig.rulePrefix(rule.getKey()) + ".tiers",
            tiers,
            "the rule has tiers ("
                + tiers
                + "), but the application defines no TierResolver bean to put keys in them",
            "define a bean of type "
                + TierResolver.class.getName()
                + ", or remove the rule's tiers");
      }
      InboundAdaptive adaptive = rule.getValue().getAdaptive();
      if (adaptive.isEnabled() && !adaptive.getPartitions().isEmpty()) {
        String tiers = String.join(", ", adaptive.getPartitions().keySet());
        report.add(
            InboundConfig.rulePrefix(rule.getKey()) + ".adaptive.partitions",
            tiers,
            "the rule's adaptive limit is shared by tier ("
                + tiers
                + "), but the application defines no TierResolver bean to put keys in tiers",
            "define a bean of type " + TierResolver.class.getName() + ", or remove the partitions");
      }
    }
  }
}
