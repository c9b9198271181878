package dev.resilience.spring.autoconfigure;

import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns once at start-up about every override key that names no {@code @Guarded} endpoint or
 * breaker: a typo in a name must not pass silently.
 */
final class UnusedOverridesReporter implements SmartInitializingSingleton {

  private static final Log log = LogFactory.getLog(UnusedOverridesReporter.class);

  private final ResilienceProperties properties;
  private final ResilienceRegistry registry;

  UnusedOverridesReporter(ResilienceProperties properties, ResilienceRegistry registry) {
    this.properties = properties;
    this.registry = registry;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Collection<Guard> guards = registry.guards().values();
    Set<String> endpoints = new TreeSet<>();
    Set<String> breakers = new TreeSet<>();
    for (Guard guard : guards) {
      endpoints.add(guard.endpoint());
      breakers.add(guard.breaker().name());
    }
    warnAbout(
        ResilienceConfigs.RATE_LIMITER,
        properties.getRateLimiter().getEndpointOverrides().keySet(),
        endpoints,
        "endpoint");
    warnAbout(
        ResilienceConfigs.BULKHEAD,
        properties.getBulkhead().getEndpointOverrides().keySet(),
        endpoints,
        "endpoint");
    warnAbout(
        ResilienceConfigs.ADAPTIVE,
        properties.getAdaptive().getEndpointOverrides().keySet(),
        endpoints,
        "endpoint");
    warnAbout(
        ResilienceConfigs.RETRY,
        properties.getRetry().getEndpointOverrides().keySet(),
        endpoints,
        "endpoint");
    warnAbout(
        ResilienceConfigs.TIMEOUT,
        properties.getTimeout().getEndpointOverrides().keySet(),
        endpoints,
        "endpoint");
    warnAbout(
        ResilienceConfigs.BREAKER,
        properties.getBreaker().getEndpointOverrides().keySet(),
        breakers,
        "breaker");
  }

  private static void warnAbout(
      String prefix, Set<String> keys, Set<String> declared, String kind) {
    for (String key : keys) {
      if (!declared.contains(key)) {
        log.warn(
            ResilienceConfigs.overridePrefix(prefix, key)
                + " names no @Guarded "
                + kind
                + "; declared "
                + kind
                + "s are "
                + declared
                + ". Check the name: this override has no effect.");
      }
    }
  }
}
