package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.autoconfigure.ResilienceProperties.Breaker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.BreakerOverride;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the breakers' {@code ignore-exceptions} and {@code record-exceptions} to classes for the
 * classification package, keeping the property names in this package: an unknown class name, or one
 * that is not a {@code Throwable}, fails with {@link InvalidResiliencePropertiesException} naming
 * the property as the user wrote it.
 */
public final class BreakerExceptionClasses {

  private static final String IGNORE = "ignore-exceptions";
  private static final String RECORD = "record-exceptions";

  private BreakerExceptionClasses() {}

  /** Returns the default {@code resilience.breaker.ignore-exceptions}. */
  public static List<Class<? extends Throwable>> ignored(Breaker properties, ClassLoader loader) {
    return resolve(ResilienceConfigs.BREAKER, IGNORE, properties.getIgnoreExceptions(), loader);
  }

  /** Returns the default {@code resilience.breaker.record-exceptions}. */
  public static List<Class<? extends Throwable>> recorded(Breaker properties, ClassLoader loader) {
    return resolve(ResilienceConfigs.BREAKER, RECORD, properties.getRecordExceptions(), loader);
  }

  /** Returns one breaker's own {@code ignore-exceptions}, or null when it inherits the defaults. */
  public static @Nullable List<Class<? extends Throwable>> ignored(
      String breaker, BreakerOverride override, ClassLoader loader) {
    List<String> names = override.getIgnoreExceptions();
    return names == null ? null : resolve(overridePrefix(breaker), IGNORE, names, loader);
  }

  /** Returns one breaker's own {@code record-exceptions}, or null when it inherits the defaults. */
  public static @Nullable List<Class<? extends Throwable>> recorded(
      String breaker, BreakerOverride override, ClassLoader loader) {
    List<String> names = override.getRecordExceptions();
    return names == null ? null : resolve(overridePrefix(breaker), RECORD, names, loader);
  }

  private static String overridePrefix(String breaker) {
    return ResilienceConfigs.overridePrefix(ResilienceConfigs.BREAKER, breaker);
  }

  private static List<Class<? extends Throwable>> resolve(
      String prefix, String list, List<String> names, ClassLoader loader) {
    return ResilienceConfigs.exceptionClasses(prefix + "." + list, names, loader);
  }
}
