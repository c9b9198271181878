package dev.resilience.spring.autoconfigure;

import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Breaker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.BreakerOverride;
import dev.resilience.spring.autoconfigure.ResilienceProperties.RateLimiterOverride;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Translates bound properties onto the core's validated configs, and each rejected value back onto
 * the property that carried it.
 */
final class ResilienceConfigs {

  static final String BREAKER = "resilience.breaker";
  static final String RATE_LIMITER = "resilience.rate-limiter";

  private ResilienceConfigs() {}

  static CircuitBreakerConfig breakerDefaults(Breaker properties) {
    return build(
        BREAKER,
        () -> {
          CircuitBreakerConfig.Builder builder =
              CircuitBreakerConfig.builder()
                  .window(properties.getWindow())
                  .failThreshold(properties.getFailThreshold())
                  .cooldown(properties.getCooldown())
                  .minDwell(properties.getMinDwell())
                  .probeCount(properties.getProbeCount())
                  .failureRateThreshold(properties.getFailureRateThreshold())
                  .minimumCalls(properties.getMinimumCalls())
                  .slowCallDuration(properties.getSlowCallDuration());
          properties.getWeights().forEach(builder::weight);
          return builder.build();
        });
  }

  static Map<String, CircuitBreakerConfig> breakerOverrides(Breaker properties, CircuitBreakerConfig defaults) {
    Map<String, CircuitBreakerConfig> overrides = new LinkedHashMap<>();
    properties
        .getEndpointOverrides()
        .forEach((name, override) -> overrides.put(name, breakerOverride(name, override, defaults)));
    return overrides;
  }

  private static CircuitBreakerConfig breakerOverride(String name, BreakerOverride override, CircuitBreakerConfig defaults) {
    return build(
        overridePrefix(BREAKER, name),
        () -> {
          CircuitBreakerConfig.Builder builder = defaults.toBuilder();
          set(override.getWindow(), builder::window);
          set(override.getFailThreshold(), builder::failThreshold);
          set(override.getCooldown(), builder::cooldown);
          set(override.getMinDwell(), builder::minDwell);
          set(override.getProbeCount(), builder::probeCount);
          set(override.getFailureRateThreshold(), builder::failureRateThreshold);
          set(override.getMinimumCalls(), builder::minimumCalls);
          set(override.getSlowCallDuration(), builder::slowCallDuration);
          override.getWeights().forEach(builder::weight);
          return builder.build();
        });
  }

  static RateLimiterConfig limiterDefaults(ResilienceProperties.RateLimiter properties) {
    return build(
        RATE_LIMITER,
        () -> new RateLimiterConfig(properties.getCapacityPerSecond(), properties.getBurst(), properties.getMaxWait()));
  }

  static Map<String, RateLimiterConfig> limiterOverrides(
      ResilienceProperties.RateLimiter properties, RateLimiterConfig defaults) {
    Map<String, RateLimiterConfig> overrides = new LinkedHashMap<>();
    properties.getEndpointOverrides().forEach((name, override) -> overrides.put(name, limiterOverride(name, override, defaults)));
    return overrides;
  }

  private static RateLimiterConfig limiterOverride(String name, RateLimiterOverride override, RateLimiterConfig defaults) {
    return build(
        overridePrefix(RATE_LIMITER, name),
        () ->
            new RateLimiterConfig(
                override.getCapacityPerSecond() != null ? override.getCapacityPerSecond() : defaults.capacityPerSecond(),
                override.getBurst() != null ? override.getBurst() : defaults.burst(),
                override.getMaxWait() != null ? override.getMaxWait() : defaults.maxWait()));
  }

  /**
   * Resolves exception class names; an unknown name stops start-up naming the property.
   *
   * @param property the list's property name, e.g. {@code resilience.breaker.ignore-exceptions}
   */
  static List<Class<? extends Throwable>> exceptionClasses(String property, List<String> names, ClassLoader loader) {
    List<Class<? extends Throwable>> classes = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      String indexed = property + "[" + i + "]";
      Class<?> type;
      try {
        type = ClassUtils.forName(name, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new InvalidResiliencePropertyException(
            indexed, '"' + name + '"', "the fully qualified name of an exception class on the class path");
      }
      if (!Throwable.class.isAssignableFrom(type)) {
        throw new InvalidResiliencePropertyException(indexed, '"' + name + '"', "the name of a Throwable subclass");
      }
      classes.add(type.asSubclass(Throwable.class));
    }
    return classes;
  }

  /**
   * The property prefix of one override, as a user writes it: {@code
   * resilience.breaker.endpoint-overrides.exchange}, with the name in brackets when it holds
   * characters that only bind in brackets (a dot, an upper-case letter): {@code
   * resilience.rate-limiter.endpoint-overrides.[quote.v2]}.
   */
  static String overridePrefix(String prefix, String name) {
    String key = name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
        ? name
        : "[" + name + "]";
    return prefix + ".endpoint-overrides." + key;
  }

  private static <T> void set(@Nullable T value, java.util.function.Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private static <T> T build(String prefix, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidConfigException e) {
      throw new InvalidResiliencePropertyException(prefix + "." + kebab(e.field()), e.value(), e.allowed());
    }
  }

  /** {@code capacityPerSecond} to {@code capacity-per-second}; {@code weights.timeout} unchanged. */
  static String kebab(String field) {
    StringBuilder out = new StringBuilder(field.length() + 4);
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
