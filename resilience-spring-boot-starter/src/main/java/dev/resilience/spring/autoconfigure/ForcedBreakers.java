package dev.resilience.spring.autoconfigure;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Breaker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Forced;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Applies {@code resilience.breaker.endpoint-overrides.<breaker>.forced} as the registry is made,
 * before any call: the declarative kill switch. Each breaker that starts forced is logged at WARN,
 * with how to undo it, since a breaker held OPEN by a forgotten property looks like an outage.
 */
final class ForcedBreakers {

  private static final Log log = LogFactory.getLog(ForcedBreakers.class);

  private ForcedBreakers() {}

  static void apply(Breaker properties, ResilienceRegistry registry) {
    properties
        .getEndpointOverrides()
        .forEach(
            (name, override) -> {
              Forced forced = override.getForced();
              if (forced != null) {
                force(registry.circuitBreaker(name), forced);
              }
            });
  }

  private static void force(CircuitBreaker breaker, Forced forced) {
    String property =
        ResilienceConfigs.overridePrefix(ResilienceConfigs.BREAKER, breaker.name()) + ".forced";
    String undo =
        "; to undo it for this run only, POST {\"action\": \"reset\"} to /actuator/resilience/"
            + breaker.name()
            + ", and remove "
            + property
            + " to undo it for good";
    if (forced == Forced.OPEN) {
      breaker.forceOpen();
      log.warn(
          "Breaker '"
              + breaker.name()
              + "' starts forced OPEN by "
              + property
              + "=open: every call through it is rejected"
              + undo);
    } else {
      breaker.holdClosed();
      log.warn(
          "Breaker '"
              + breaker.name()
              + "' starts held CLOSED by "
              + property
              + "=closed: its failures are counted but never open it"
              + undo);
    }
  }
}
