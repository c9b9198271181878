package dev.resilience.spring.inbound;

import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundRule;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreErrorsBindHandler;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code resilience.inbound.rules} names at least one rule. */
final class OnInboundRulesCondition extends SpringBootCondition {

  private static final String RULES = InboundConfig.PREFIX + ".rules";

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    ConditionMessage.Builder message = ConditionMessage.forCondition("Inbound rules");
    // Bad values are the strict check's to report; here only whether a rule is named counts.
    Map<String, InboundRule> rules =
        Binder.get(context.getEnvironment())
            .bind(
                RULES,
                Bindable.mapOf(String.class, InboundRule.class),
                new IgnoreErrorsBindHandler())
            .orElse(Map.of());
    return rules.isEmpty()
        ? ConditionOutcome.noMatch(message.didNotFind("property", "properties").items(RULES))
        : ConditionOutcome.match(message.found("rules").items(rules.keySet()));
  }
}
