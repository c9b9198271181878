package dev.resilience.spring.classify;

import dev.resilience.core.FailureClassifier;
import dev.resilience.spring.autoconfigure.BreakerExceptionClasses;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Breaker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.BreakerOverride;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The failure classifier of each breaker: the application's classifier inside that breaker's ignore
 * and record lists. Every list is resolved at start-up, so an unknown class name stops it.
 */
public final class BreakerClassifiers implements Function<String, FailureClassifier> {

  private final FailureClassifier defaults;
  private final Map<String, FailureClassifier> overrides = new HashMap<>();

  /**
   * Resolves every breaker's lists.
   *
   * @param properties the {@code resilience.breaker} properties
   * @param base the classifier inside the lists: ours, or the application's own bean
   * @param loader where the listed exception classes are loaded from
   * @throws dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException if a listed
   *     class does not exist or is not a {@code Throwable}
   */
  public BreakerClassifiers(Breaker properties, FailureClassifier base, ClassLoader loader) {
    List<Class<? extends Throwable>> ignore = BreakerExceptionClasses.ignored(properties, loader);
    List<Class<? extends Throwable>> record = BreakerExceptionClasses.recorded(properties, loader);
    this.defaults = new ExceptionListsClassifier(ignore, record, base);
    for (Map.Entry<String, BreakerOverride> entry : properties.getEndpointOverrides().entrySet()) {
      List<Class<? extends Throwable>> ownIgnore =
          BreakerExceptionClasses.ignored(entry.getKey(), entry.getValue(), loader);
      List<Class<? extends Throwable>> ownRecord =
          BreakerExceptionClasses.recorded(entry.getKey(), entry.getValue(), loader);
      if (ownIgnore != null || ownRecord != null) {
        overrides.put(
            entry.getKey(),
            new ExceptionListsClassifier(
                ownIgnore != null ? ownIgnore : ignore,
                ownRecord != null ? ownRecord : record,
                base));
      }
    }
  }

  @Override
  public FailureClassifier apply(String breaker) {
    return overrides.getOrDefault(breaker, defaults);
  }
}
