package dev.resilience.spring.autoconfigure;

import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.BulkheadConfig;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.RetryConfig;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Adaptive;
import dev.resilience.spring.autoconfigure.ResilienceProperties.AdaptiveOverride;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Breaker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.BreakerOverride;
import dev.resilience.spring.autoconfigure.ResilienceProperties.BulkheadOverride;
import dev.resilience.spring.autoconfigure.ResilienceProperties.RateLimiterOverride;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Translates bound properties onto the core's validated configs, and each rejected value back onto
 * the property that carried it.
 *
 * <p>The core's configs stop at their first bad value. To report every bad value at once, {@link
 * #check} builds each setting on its own on top of valid ones, so that the rules stay in the core
 * and are not written a second time here.
 */
final class ResilienceConfigs {

  static final String PREFIX = "resilience";
  static final String BREAKER = PREFIX + ".breaker";
  static final String RATE_LIMITER = PREFIX + ".rate-limiter";
  static final String BULKHEAD = PREFIX + ".bulkhead";
  static final String ADAPTIVE = PREFIX + ".adaptive";
  static final String RETRY = PREFIX + ".retry";
  static final String TIMEOUT = PREFIX + ".timeout";

  private ResilienceConfigs() {}

  static CircuitBreakerConfig breakerDefaults(Breaker properties) {
    return build(
        BREAKER, () -> apply(CircuitBreakerConfig.builder(), settings(properties)).build());
  }

  static Map<String, CircuitBreakerConfig> breakerOverrides(
      Breaker properties, CircuitBreakerConfig defaults) {
    return overrides(
        BREAKER,
        properties.getEndpointOverrides(),
        override -> apply(defaults.toBuilder(), settings(override)).build());
  }

  static RateLimiterConfig limiterDefaults(ResilienceProperties.RateLimiter properties) {
    return build(RATE_LIMITER, () -> apply(RateLimiterConfig.defaults(), settings(properties)));
  }

  static Map<String, RateLimiterConfig> limiterOverrides(
      ResilienceProperties.RateLimiter properties, RateLimiterConfig defaults) {
    return overrides(
        RATE_LIMITER,
        properties.getEndpointOverrides(),
        override -> apply(defaults, settings(override)));
  }

  static BulkheadConfig bulkheadDefaults(ResilienceProperties.Bulkhead properties) {
    return build(
        BULKHEAD, () -> new BulkheadConfig(properties.getMaxConcurrent(), properties.getMaxWait()));
  }

  static Map<String, BulkheadConfig> bulkheadOverrides(
      ResilienceProperties.Bulkhead properties, BulkheadConfig defaults) {
    return overrides(
        BULKHEAD, properties.getEndpointOverrides(), override -> bulkhead(override, defaults));
  }

  private static BulkheadConfig bulkhead(BulkheadOverride override, BulkheadConfig defaults) {
    return new BulkheadConfig(
        override.getMaxConcurrent() != null
            ? override.getMaxConcurrent()
            : defaults.maxConcurrent(),
        override.getMaxWait() != null ? override.getMaxWait() : defaults.maxWait());
  }

  /** Returns the adaptive limit of every endpoint without an override, or null when off. */
  static @Nullable AdaptiveLimitConfig adaptiveDefaults(Adaptive properties) {
    AdaptiveSettings settings = AdaptiveSettings.of(properties);
    return settings.enabled() ? build(ADAPTIVE, settings::config) : null;
  }

  /** Returns the adaptive limit of each overridden endpoint; null where it is off. */
  static Map<String, @Nullable AdaptiveLimitConfig> adaptiveOverrides(Adaptive properties) {
    AdaptiveSettings defaults = AdaptiveSettings.of(properties);
    Map<String, @Nullable AdaptiveLimitConfig> configs = new LinkedHashMap<>();
    properties
        .getEndpointOverrides()
        .forEach(
            (name, override) -> {
              AdaptiveSettings settings = defaults.with(override);
              configs.put(
                  name,
                  settings.enabled()
                      ? build(overridePrefix(ADAPTIVE, name), settings::config)
                      : null);
            });
    return configs;
  }

  /**
   * The adaptive limit settings of an endpoint, as the properties give them: the defaults, then
   * what its override sets. The gradient's windows and smoothing are the core's defaults.
   */
  private record AdaptiveSettings(
      boolean enabled,
      AdaptiveLimitConfig.Algorithm algorithm,
      int minLimit,
      int maxLimit,
      @Nullable Integer initialLimit,
      double backoffRatio,
      double tolerance) {

    /** The initial limit when none is set, brought within the bounds. */
    private static final int INITIAL = 20;

    static AdaptiveSettings of(Adaptive properties) {
      return new AdaptiveSettings(
          properties.isEnabled(),
          properties.getAlgorithm(),
          properties.getMinLimit(),
          properties.getMaxLimit(),
          properties.getInitialLimit(),
          properties.getBackoffRatio(),
          properties.getTolerance());
    }

    AdaptiveSettings with(AdaptiveOverride override) {
      return new AdaptiveSettings(
          override.getEnabled() != null ? override.getEnabled() : enabled,
          override.getAlgorithm() != null ? override.getAlgorithm() : algorithm,
          override.getMinLimit() != null ? override.getMinLimit() : minLimit,
          override.getMaxLimit() != null ? override.getMaxLimit() : maxLimit,
          override.getInitialLimit() != null ? override.getInitialLimit() : initialLimit,
          override.getBackoffRatio() != null ? override.getBackoffRatio() : backoffRatio,
          override.getTolerance() != null ? override.getTolerance() : tolerance);
    }

    AdaptiveLimitConfig config() {
      AdaptiveLimitConfig tuning = AdaptiveLimitConfig.defaults();
      return new AdaptiveLimitConfig(
          algorithm,
          minLimit,
          maxLimit,
          initialLimit != null ? initialLimit : Math.max(minLimit, Math.min(INITIAL, maxLimit)),
          backoffRatio,
          tuning.shortWindow(),
          tuning.longWindow(),
          tolerance,
          tuning.smoothing());
    }
  }

  /**
   * An endpoint may have a bulkhead or an adaptive limit, not both: the adaptive limit replaces the
   * bulkhead's fixed max-concurrent. The defaults are checked, then each endpoint an override
   * names, reported under the property that made the pair.
   */
  private static void checkAdaptiveOrBulkhead(ResilienceProperties properties, Problems problems) {
    Adaptive adaptive = properties.getAdaptive();
    ResilienceProperties.Bulkhead bulkhead = properties.getBulkhead();
    boolean both = adaptive.isEnabled() && bulkhead.getMaxConcurrent() > 0;
    if (both) {
      problems.add(
          ADAPTIVE + ".enabled",
          "true",
          "every endpoint would have both an adaptive limit and "
              + BULKHEAD
              + ".max-concurrent "
              + bulkhead.getMaxConcurrent()
              + ": the adaptive limit replaces the bulkhead's fixed max-concurrent",
          "set " + BULKHEAD + ".max-concurrent to 0, or turn the adaptive limit off");
    }
    Set<String> names = new TreeSet<>(adaptive.getEndpointOverrides().keySet());
    names.addAll(bulkhead.getEndpointOverrides().keySet());
    for (String name : names) {
      AdaptiveOverride adaptiveOverride = adaptive.getEndpointOverrides().get(name);
      BulkheadOverride bulkheadOverride = bulkhead.getEndpointOverrides().get(name);
      Boolean enabledHere = adaptiveOverride == null ? null : adaptiveOverride.getEnabled();
      Integer maxHere = bulkheadOverride == null ? null : bulkheadOverride.getMaxConcurrent();
      boolean enabled = enabledHere != null ? enabledHere : adaptive.isEnabled();
      int maxConcurrent = maxHere != null ? maxHere : bulkhead.getMaxConcurrent();
      if (!enabled || maxConcurrent <= 0 || (enabledHere == null && maxHere == null)) {
        continue; // no pair, or the defaults' pair, reported above
      }
      String property =
          enabledHere != null
              ? overridePrefix(ADAPTIVE, name) + ".enabled"
              : overridePrefix(BULKHEAD, name) + ".max-concurrent";
      problems.add(
          property,
          enabledHere != null ? "true" : Integer.toString(maxConcurrent),
          "endpoint '"
              + name
              + "' would have both an adaptive limit and a bulkhead max-concurrent of "
              + maxConcurrent
              + ": the adaptive limit replaces the bulkhead's fixed max-concurrent",
          "set "
              + overridePrefix(BULKHEAD, name)
              + ".max-concurrent to 0, or "
              + overridePrefix(ADAPTIVE, name)
              + ".enabled to false");
    }
  }

  /**
   * Sets how many keys each keyed endpoint's and inbound rule's buckets hold at most; a bad value
   * is reported as {@code resilience.rate-limiter.max-keys}, by the same rule {@link #check} reads.
   */
  static ResilienceRegistry.Builder maxKeys(
      ResilienceRegistry.Builder builder, ResilienceProperties.RateLimiter properties) {
    return build(RATE_LIMITER, () -> setMaxKeys(builder, properties));
  }

  private static ResilienceRegistry.Builder setMaxKeys(
      ResilienceRegistry.Builder builder, ResilienceProperties.RateLimiter properties) {
    return builder.maxKeys(properties.getMaxKeys());
  }

  /** Builds the config of each override, a bad value reported under that override's property. */
  private static <O, C> Map<String, C> overrides(
      String prefix, Map<String, O> overrides, Function<O, C> config) {
    Map<String, C> configs = new LinkedHashMap<>();
    overrides.forEach(
        (name, override) ->
            configs.put(name, build(overridePrefix(prefix, name), () -> config.apply(override))));
    return configs;
  }

  /**
   * Collects every value of the breaker and rate limiter properties that start-up cannot accept:
   * out-of-range values of the defaults and of each override, unknown exception classes, weights
   * for codes no breaker counts.
   */
  static void check(ResilienceProperties properties, ClassLoader loader, Problems problems) {
    Breaker breaker = properties.getBreaker();
    CircuitBreakerConfig breakerDefaults =
        checked(BREAKER, CircuitBreakerConfig.defaults(), settings(breaker), problems);
    breaker
        .getEndpointOverrides()
        .forEach(
            (name, override) ->
                checked(
                    overridePrefix(BREAKER, name), breakerDefaults, settings(override), problems));
    checkExceptionsAndWeights(breaker, loader, problems);

    ResilienceProperties.RateLimiter limiter = properties.getRateLimiter();
    RateLimiterConfig limiterDefaults =
        checkedLimiter(RATE_LIMITER, RateLimiterConfig.defaults(), settings(limiter), problems);
    limiter
        .getEndpointOverrides()
        .forEach(
            (name, override) ->
                checkedLimiter(
                    overridePrefix(RATE_LIMITER, name),
                    limiterDefaults,
                    settings(override),
                    problems));
    attempt(RATE_LIMITER, problems, () -> setMaxKeys(ResilienceRegistry.builder(), limiter));

    ResilienceProperties.Retry retry = properties.getRetry();
    RetryConfig retryDefaults = attempt(RETRY, problems, retry::defaults);
    retry
        .getEndpointOverrides()
        .forEach(
            (name, override) -> {
              if (retryDefaults != null) {
                attempt(overridePrefix(RETRY, name), problems, () -> retry.configOf(name));
              }
            });
    checkRetryCodes(RETRY, retry.getRetryOn(), breaker, loader, problems);
    retry
        .getEndpointOverrides()
        .forEach(
            (name, override) -> {
              if (override.getRetryOn() != null) {
                checkRetryCodes(
                    overridePrefix(RETRY, name), override.getRetryOn(), breaker, loader, problems);
              }
            });

    ResilienceProperties.Bulkhead bulkhead = properties.getBulkhead();
    BulkheadConfig bulkheadDefaults =
        attempt(
            BULKHEAD,
            problems,
            () -> new BulkheadConfig(bulkhead.getMaxConcurrent(), bulkhead.getMaxWait()));
    BulkheadConfig base = bulkheadDefaults != null ? bulkheadDefaults : BulkheadConfig.none();
    bulkhead
        .getEndpointOverrides()
        .forEach(
            (name, override) ->
                attempt(overridePrefix(BULKHEAD, name), problems, () -> bulkhead(override, base)));

    Adaptive adaptive = properties.getAdaptive();
    AdaptiveSettings adaptiveBase = AdaptiveSettings.of(adaptive);
    AdaptiveLimitConfig adaptiveDefaults = attempt(ADAPTIVE, problems, adaptiveBase::config);
    adaptive
        .getEndpointOverrides()
        .forEach(
            (name, override) -> {
              if (adaptiveDefaults != null) {
                attempt(
                    overridePrefix(ADAPTIVE, name),
                    problems,
                    () -> adaptiveBase.with(override).config());
              }
            });
    checkAdaptiveOrBulkhead(properties, problems);

    ResilienceProperties.Timeout timeout = properties.getTimeout();
    checkTimeout(TIMEOUT + ".duration", timeout.getDuration(), problems);
    timeout
        .getEndpointOverrides()
        .forEach(
            (name, override) ->
                checkTimeout(
                    overridePrefix(TIMEOUT, name) + ".duration", override.getDuration(), problems));
  }

  private static void checkTimeout(
      String property, @Nullable Duration duration, Problems problems) {
    if (duration != null && duration.isNegative()) {
      problems.invalidValue(property, duration.toString(), "a positive duration, or 0 for none");
    }
  }

  /**
   * Resolves exception class names; an unknown name stops start-up naming the property.
   *
   * @param property the list's property name, e.g. {@code resilience.breaker.ignore-exceptions}
   */
  static List<Class<? extends Throwable>> exceptionClasses(
      String property, List<String> names, ClassLoader loader) {
    Problems problems = new Problems();
    List<Class<? extends Throwable>> classes = exceptionClasses(property, names, loader, problems);
    problems.throwIfAny();
    return classes;
  }

  /**
   * The property prefix of one override, as a user writes it: {@code
   * resilience.breaker.endpoint-overrides.exchange}, with the name in brackets when it holds
   * characters that only bind in brackets (a dot, an upper-case letter): {@code
   * resilience.rate-limiter.endpoint-overrides.[quote.v2]}.
   */
  static String overridePrefix(String prefix, String name) {
    return prefix + ".endpoint-overrides." + key(name);
  }

  /** A map key as a user writes it in a property name: in brackets unless it binds without them. */
  static String key(String name) {
    boolean plain =
        !name.isEmpty()
            && name.chars()
                .allMatch(
                    c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    return plain ? name : "[" + name + "]";
  }

  /**
   * {@code capacityPerSecond} to {@code capacity-per-second}; {@code weights.timeout} unchanged.
   */
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

  // The settings of each kind of properties, in one list each: building a config and checking it
  // read the same list, so a new property cannot be translated but left unchecked.

  private static List<Consumer<CircuitBreakerConfig.Builder>> settings(Breaker properties) {
    List<Consumer<CircuitBreakerConfig.Builder>> settings = new ArrayList<>();
    settings.add(builder -> builder.window(properties.getWindow()));
    settings.add(builder -> builder.failThreshold(properties.getFailThreshold()));
    settings.add(builder -> builder.cooldown(properties.getCooldown()));
    settings.add(builder -> builder.minDwell(properties.getMinDwell()));
    settings.add(builder -> builder.probeCount(properties.getProbeCount()));
    settings.add(builder -> builder.failureRateThreshold(properties.getFailureRateThreshold()));
    settings.add(builder -> builder.minimumCalls(properties.getMinimumCalls()));
    settings.add(builder -> builder.slowCallDuration(properties.getSlowCallDuration()));
    properties
        .getWeights()
        .forEach((code, weight) -> settings.add(builder -> builder.weight(code, weight)));
    return settings;
  }

  /** Only what the override sets; the rest comes from the defaults. */
  private static List<Consumer<CircuitBreakerConfig.Builder>> settings(BreakerOverride override) {
    List<Consumer<CircuitBreakerConfig.Builder>> settings = new ArrayList<>();
    addIfSet(settings, override.getWindow(), (builder, value) -> builder.window(value));
    addIfSet(
        settings, override.getFailThreshold(), (builder, value) -> builder.failThreshold(value));
    addIfSet(settings, override.getCooldown(), (builder, value) -> builder.cooldown(value));
    addIfSet(settings, override.getMinDwell(), (builder, value) -> builder.minDwell(value));
    addIfSet(settings, override.getProbeCount(), (builder, value) -> builder.probeCount(value));
    addIfSet(
        settings,
        override.getFailureRateThreshold(),
        (builder, value) -> builder.failureRateThreshold(value));
    addIfSet(settings, override.getMinimumCalls(), (builder, value) -> builder.minimumCalls(value));
    addIfSet(
        settings,
        override.getSlowCallDuration(),
        (builder, value) -> builder.slowCallDuration(value));
    override
        .getWeights()
        .forEach((code, weight) -> settings.add(builder -> builder.weight(code, weight)));
    return settings;
  }

  private static List<UnaryOperator<RateLimiterConfig>> settings(
      ResilienceProperties.RateLimiter properties) {
    return List.of(
        config -> config.withCapacityPerSecond(properties.getCapacityPerSecond()),
        config -> config.withBurst(properties.getBurst()),
        config -> config.withMaxWait(properties.getMaxWait()));
  }

  private static List<UnaryOperator<RateLimiterConfig>> settings(RateLimiterOverride override) {
    List<UnaryOperator<RateLimiterConfig>> settings = new ArrayList<>();
    if (override.getCapacityPerSecond() != null) {
      double capacity = override.getCapacityPerSecond();
      settings.add(config -> config.withCapacityPerSecond(capacity));
    }
    if (override.getBurst() != null) {
      int burst = override.getBurst();
      settings.add(config -> config.withBurst(burst));
    }
    if (override.getMaxWait() != null) {
      var maxWait = override.getMaxWait();
      settings.add(config -> config.withMaxWait(maxWait));
    }
    return settings;
  }

  private interface Setter<T> {
    void set(CircuitBreakerConfig.Builder builder, T value);
  }

  private static <T> void addIfSet(
      List<Consumer<CircuitBreakerConfig.Builder>> settings, @Nullable T value, Setter<T> setter) {
    if (value != null) {
      settings.add(builder -> setter.set(builder, value));
    }
  }

  private static CircuitBreakerConfig.Builder apply(
      CircuitBreakerConfig.Builder builder, List<Consumer<CircuitBreakerConfig.Builder>> settings) {
    settings.forEach(setting -> setting.accept(builder));
    return builder;
  }

  private static RateLimiterConfig apply(
      RateLimiterConfig config, List<UnaryOperator<RateLimiterConfig>> settings) {
    RateLimiterConfig result = config;
    for (UnaryOperator<RateLimiterConfig> setting : settings) {
      result = setting.apply(result);
    }
    return result;
  }

  /**
   * Tries each setting alone on top of {@code base}, then all together (for a rule that spans two
   * values); returns the config they make, or {@code base} when one is wrong, so that overrides are
   * checked against valid defaults.
   */
  private static CircuitBreakerConfig checked(
      String prefix,
      CircuitBreakerConfig base,
      List<Consumer<CircuitBreakerConfig.Builder>> settings,
      Problems problems) {
    boolean valid = true;
    for (Consumer<CircuitBreakerConfig.Builder> setting : settings) {
      valid &=
          attempt(prefix, problems, () -> apply(base.toBuilder(), List.of(setting)).build())
              != null;
    }
    CircuitBreakerConfig all =
        valid ? attempt(prefix, problems, () -> apply(base.toBuilder(), settings).build()) : null;
    return all != null ? all : base;
  }

  private static RateLimiterConfig checkedLimiter(
      String prefix,
      RateLimiterConfig base,
      List<UnaryOperator<RateLimiterConfig>> settings,
      Problems problems) {
    boolean valid = true;
    for (UnaryOperator<RateLimiterConfig> setting : settings) {
      valid &= attempt(prefix, problems, () -> setting.apply(base)) != null;
    }
    RateLimiterConfig all = valid ? attempt(prefix, problems, () -> apply(base, settings)) : null;
    return all != null ? all : base;
  }

  private static <T> @Nullable T attempt(String prefix, Problems problems, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidConfigException e) {
      problems.invalidValue(property(prefix, e.field()), e.value(), e.allowed());
      return null;
    }
  }

  private static <T> T build(String prefix, Supplier<T> build) {
    Problems problems = new Problems();
    T config = attempt(prefix, problems, build);
    problems.throwIfAny();
    return Objects.requireNonNull(config);
  }

  /** The property of a core field: {@code capacityPerSecond}, {@code weights.IOException}. */
  private static String property(String prefix, String field) {
    if (field.startsWith("weights.")) {
      return weight(prefix, field.substring("weights.".length()));
    }
    return prefix + "." + kebab(field);
  }

  /**
   * The property of one weight. Its code keeps its case without brackets ({@code
   * weights.IOException} binds as written); only a dot needs them.
   */
  private static String weight(String prefix, String code) {
    boolean plain =
        !code.isEmpty()
            && code.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    return prefix + ".weights." + (plain ? code : "[" + code + "]");
  }

  private static void checkExceptionsAndWeights(
      Breaker breaker, ClassLoader loader, Problems problems) {
    exceptionClasses(
        BREAKER + ".record-exceptions", breaker.getRecordExceptions(), loader, problems);
    exceptionClasses(
        BREAKER + ".ignore-exceptions", breaker.getIgnoreExceptions(), loader, problems);
    Set<String> recorded = recordedCodes(breaker.getRecordExceptions(), loader);
    // A default weight applies to every breaker, so a code recorded by any one of them is
    // meaningful.
    Set<String> recordedAnywhere = new LinkedHashSet<>(recorded);
    breaker
        .getEndpointOverrides()
        .forEach(
            (name, override) -> {
              String prefix = overridePrefix(BREAKER, name);
              if (override.getRecordExceptions() != null) {
                exceptionClasses(
                    prefix + ".record-exceptions",
                    override.getRecordExceptions(),
                    loader,
                    problems);
                recordedAnywhere.addAll(recordedCodes(override.getRecordExceptions(), loader));
              }
              if (override.getIgnoreExceptions() != null) {
                exceptionClasses(
                    prefix + ".ignore-exceptions",
                    override.getIgnoreExceptions(),
                    loader,
                    problems);
              }
            });
    checkWeightCodes(BREAKER, breaker.getWeights(), recordedAnywhere, problems);
    breaker
        .getEndpointOverrides()
        .forEach(
            (name, override) -> {
              List<String> ownRecorded = override.getRecordExceptions();
              Set<String> codes =
                  ownRecorded == null ? recorded : recordedCodes(ownRecorded, loader);
              checkWeightCodes(
                  overridePrefix(BREAKER, name), override.getWeights(), codes, problems);
            });
  }

  /**
   * A retry-on code that no breaker counts could never match: each such code is reported, as an
   * unknown weight code is.
   */
  private static void checkRetryCodes(
      String prefix, List<String> codes, Breaker breaker, ClassLoader loader, Problems problems) {
    Set<String> recorded =
        new LinkedHashSet<>(recordedCodes(breaker.getRecordExceptions(), loader));
    breaker
        .getEndpointOverrides()
        .values()
        .forEach(
            override -> {
              if (override.getRecordExceptions() != null) {
                recorded.addAll(recordedCodes(override.getRecordExceptions(), loader));
              }
            });
    for (int i = 0; i < codes.size(); i++) {
      String code = codes.get(i);
      if (code != null && (code.equals("io") || WeightCodes.isKnown(code, recorded))) {
        continue;
      }
      String closest = code == null ? null : WeightCodes.closest(code, recorded);
      problems.add(
          prefix + ".retry-on[" + i + "]",
          String.valueOf(code),
          "unknown failure code '"
              + code
              + "'"
              + (closest != null ? "; did you mean " + closest + "?" : "")
              + ": breakers count failures under "
              + WeightCodes.describe(recorded)
              + " (and io for network)",
          closest != null ? "write " + closest : "remove it, or use one of those codes");
    }
  }

  private static void checkWeightCodes(
      String prefix, Map<String, Double> weights, Set<String> recorded, Problems problems) {
    weights.forEach(
        (code, weight) -> {
          if (WeightCodes.isKnown(code, recorded)) {
            return;
          }
          String property = weight(prefix, code);
          String closest = WeightCodes.closest(code, recorded);
          if (closest != null) {
            problems.add(
                property,
                String.valueOf(weight),
                "unknown failure code '" + code + "'; did you mean " + closest + "?",
                "rename it to " + weight(prefix, closest));
          } else {
            problems.add(
                property,
                String.valueOf(weight),
                "unknown failure code '"
                    + code
                    + "': breakers count failures under "
                    + WeightCodes.describe(recorded),
                "remove it, or use one of those codes");
          }
        });
  }

  private static List<Class<? extends Throwable>> exceptionClasses(
      String property, List<String> names, ClassLoader loader, Problems problems) {
    List<Class<? extends Throwable>> classes = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      String indexed = property + "[" + i + "]";
      Class<?> type;
      try {
        type = ClassUtils.forName(name, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        problems.invalidValue(
            indexed, name, "the fully qualified name of an exception class on the class path");
        continue;
      }
      if (!Throwable.class.isAssignableFrom(type)) {
        problems.invalidValue(indexed, name, "the name of a Throwable subclass");
        continue;
      }
      classes.add(type.asSubclass(Throwable.class));
    }
    return classes;
  }

  /**
   * The codes the listed exceptions count under: a recorded exception counts under its simple class
   * name. A name that does not resolve (reported on its own) still gives the code it means, so that
   * its weight is not reported a second time.
   */
  private static Set<String> recordedCodes(List<String> names, ClassLoader loader) {
    Set<String> codes = new LinkedHashSet<>();
    for (String name : names) {
      String trimmed = name.trim();
      try {
        codes.add(ClassUtils.forName(trimmed, loader).getSimpleName());
      } catch (ClassNotFoundException | LinkageError e) {
        codes.add(
            trimmed.substring(Math.max(trimmed.lastIndexOf('.'), trimmed.lastIndexOf('$')) + 1));
      }
    }
    return codes;
  }
}
