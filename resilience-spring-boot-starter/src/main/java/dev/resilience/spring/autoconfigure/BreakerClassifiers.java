package dev.resilience.spring.autoconfigure;

import dev.resilience.core.FailureClassifier;
import dev.resilience.spring.aspect.ExceptionListsClassifier;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Breaker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.BreakerOverride;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The failure classifier of each breaker: the application's classifier inside that breaker's
 * ignore and record lists. Every list is resolved at start-up, so an unknown class name stops it.
 */
final class BreakerClassifiers implements Function<String, FailureClassifier> {

  private final FailureClassifier defaults;
  private final Map<String, FailureClassifier> overrides = new HashMap<>();

  BreakerClassifiers(Breaker properties, FailureClassifier base, ClassLoader loader) {
    List<Class<? extends Throwable>> ignore =
        ResilienceConfigs.exceptionClasses(ResilienceConfigs.BREAKER + ".ignore-exceptions", properties.getIgnoreExceptions(), loader);
    List<Class<? extends Throwable>> record =
        ResilienceConfigs.exceptionClasses(ResilienceConfigs.BREAKER + ".record-exceptions", properties.getRecordExceptions(), loader);
    this.defaults = new ExceptionListsClassifier(ignore, record, base);
    for (Map.Entry<String, BreakerOverride> entry : properties.getEndpointOverrides().entrySet()) {
      BreakerOverride override = entry.getValue();
      if (override.getIgnoreExceptions() == null && override.getRecordExceptions() == null) {
        continue;
      }
      String prefix = ResilienceConfigs.overridePrefix(ResilienceConfigs.BREAKER, entry.getKey());
      List<Class<? extends Throwable>> ownIgnore =
          override.getIgnoreExceptions() == null
              ? ignore
              : ResilienceConfigs.exceptionClasses(prefix + ".ignore-exceptions", override.getIgnoreExceptions(), loader);
      List<Class<? extends Throwable>> ownRecord =
          override.getRecordExceptions() == null
              ? record
              : ResilienceConfigs.exceptionClasses(prefix + ".record-exceptions", override.getRecordExceptions(), loader);
      overrides.put(entry.getKey(), new ExceptionListsClassifier(ownIgnore, ownRecord, base));
    }
  }

  @Override
  public FailureClassifier apply(String breaker) {
    return overrides.getOrDefault(breaker, defaults);
  }
}
