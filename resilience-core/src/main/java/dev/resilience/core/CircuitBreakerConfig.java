package dev.resilience.core;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of one {@link CircuitBreaker}, validated when built.
 *
 * <p>Defaults: {@code window} 60s, {@code failThreshold} 10, {@code cooldown} 30s, {@code minDwell}
 * 30s, {@code probeCount} 1, no failure-rate threshold, {@code minimumCalls} 20, no slow-call
 * duration, every failure code weighing 1.0.
 */
public final class CircuitBreakerConfig {

  private static final Duration MIN_WINDOW = Duration.ofMillis(1);
  private static final double MAX_WEIGHT = 1_000_000;

  /** Weights are summed as whole thousandths, so that concurrent adds are exact and lock-free. */
  static final long WEIGHT_UNIT = 1000;

  // Last: building it reads the constants above.
  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  private final Duration window;
  private final int failThreshold;
  private final Duration cooldown;
  private final Duration minDwell;
  private final int probeCount;
  private final @Nullable Double failureRateThreshold;
  private final int minimumCalls;
  private final @Nullable Duration slowCallDuration;
  private final Map<String, Double> weights;
  private final Map<String, Long> weightUnits;

  private CircuitBreakerConfig(Builder builder) {
    this.window = Checks.positive("window", builder.window);
    if (window.compareTo(MIN_WINDOW) < 0) {
      throw new InvalidConfigException("window", window.toString(), "at least 1ms");
    }
    this.failThreshold = Checks.atLeast("failThreshold", builder.failThreshold, 1);
    this.cooldown = Checks.positive("cooldown", builder.cooldown);
    this.minDwell = Checks.notNegative("minDwell", builder.minDwell);
    this.probeCount = Checks.atLeast("probeCount", builder.probeCount, 1);
    this.failureRateThreshold =
        builder.failureRateThreshold == null
            ? null
            : Checks.inRange("failureRateThreshold", builder.failureRateThreshold, 0, 100);
    this.minimumCalls = Checks.atLeast("minimumCalls", builder.minimumCalls, 1);
    this.slowCallDuration =
        builder.slowCallDuration == null
            ? null
            : Checks.positive("slowCallDuration", builder.slowCallDuration);
    TreeMap<String, Double> checkedWeights = new TreeMap<>();
    TreeMap<String, Long> units = new TreeMap<>();
    builder.weights.forEach(
        (code, weight) -> {
          if (code.isBlank()) {
            throw new InvalidConfigException(
                "weights", '"' + code + '"', "keyed by a non-blank code");
          }
          Checks.inRange("weights." + code, weight, 0, MAX_WEIGHT);
          checkedWeights.put(code, weight);
          units.put(code, Math.max(1, Math.round(weight * WEIGHT_UNIT)));
        });
    this.weights = Collections.unmodifiableMap(checkedWeights);
    this.weightUnits = units;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the config with every default. */
  public static CircuitBreakerConfig defaults() {
    return DEFAULTS;
  }

  /** Returns a builder holding this config's values, to derive an override from it. */
  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .window(window)
            .failThreshold(failThreshold)
            .cooldown(cooldown)
            .minDwell(minDwell)
            .probeCount(probeCount)
            .failureRateThreshold(failureRateThreshold)
            .minimumCalls(minimumCalls)
            .slowCallDuration(slowCallDuration);
    builder.weights.putAll(weights);
    return builder;
  }

  /** Returns how far back failures count; older ones no longer count. */
  public Duration window() {
    return window;
  }

  /** Returns the weighted failures inside the window that open the breaker. */
  public int failThreshold() {
    return failThreshold;
  }

  /** Returns how long the breaker stays OPEN before it lets a probe through. */
  public Duration cooldown() {
    return cooldown;
  }

  /** Returns how long the breaker stays in a state before it may move toward more traffic. */
  public Duration minDwell() {
    return minDwell;
  }

  /** Returns how many probes may be in flight in HALF_OPEN, and how many must succeed in a row. */
  public int probeCount() {
    return probeCount;
  }

  /** Returns the failure percentage in (0, 100] that also opens the breaker, or null if unused. */
  public @Nullable Double failureRateThreshold() {
    return failureRateThreshold;
  }

  /** Returns how many calls the window must hold before the failure rate is considered. */
  public int minimumCalls() {
    return minimumCalls;
  }

  /**
   * Returns the duration from which a successful call counts as a {@code slow} failure, or null.
   */
  public @Nullable Duration slowCallDuration() {
    return slowCallDuration;
  }

  /** Returns the weight of each failure code that does not weigh the default 1.0. */
  public Map<String, Double> weights() {
    return weights;
  }

  /** Returns the weight of a failure with the given code. */
  public double weight(String code) {
    return weights.getOrDefault(code, 1.0);
  }

  /** The weight of a code in thousandths, the unit in which the window sums weights. */
  long weightUnits(String code) {
    Long units = weightUnits.get(code);
    return units == null ? WEIGHT_UNIT : units;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CircuitBreakerConfig other
        && window.equals(other.window)
        && failThreshold == other.failThreshold
        && cooldown.equals(other.cooldown)
        && minDwell.equals(other.minDwell)
        && probeCount == other.probeCount
        && Objects.equals(failureRateThreshold, other.failureRateThreshold)
        && minimumCalls == other.minimumCalls
        && Objects.equals(slowCallDuration, other.slowCallDuration)
        && weights.equals(other.weights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        window,
        failThreshold,
        cooldown,
        minDwell,
        probeCount,
        failureRateThreshold,
        minimumCalls,
        slowCallDuration,
        weights);
  }

  @Override
  public String toString() {
    return "CircuitBreakerConfig{window="
        + window
        + ", failThreshold="
        + failThreshold
        + ", cooldown="
        + cooldown
        + ", minDwell="
        + minDwell
        + ", probeCount="
        + probeCount
        + ", failureRateThreshold="
        + failureRateThreshold
        + ", minimumCalls="
        + minimumCalls
        + ", slowCallDuration="
        + slowCallDuration
        + ", weights="
        + weights
        + '}';
  }

  /** Collects values for a {@link CircuitBreakerConfig}; {@link #build()} validates them. */
  public static final class Builder {

    private @Nullable Duration window = Duration.ofSeconds(60);
    private int failThreshold = 10;
    private @Nullable Duration cooldown = Duration.ofSeconds(30);
    private @Nullable Duration minDwell = Duration.ofSeconds(30);
    private int probeCount = 1;
    private @Nullable Double failureRateThreshold;
    private int minimumCalls = 20;
    private @Nullable Duration slowCallDuration;
    private final Map<String, Double> weights = new TreeMap<>();

    private Builder() {}

    /** Sets how far back failures count; at least 1ms. */
    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    /** Sets the weighted failures inside the window that open the breaker; at least 1. */
    public Builder failThreshold(int failThreshold) {
      this.failThreshold = failThreshold;
      return this;
    }

    /** Sets how long the breaker stays OPEN before it lets a probe through; positive. */
    public Builder cooldown(Duration cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    /** Sets the least time in a state before a move toward more traffic; zero or positive. */
    public Builder minDwell(Duration minDwell) {
      this.minDwell = minDwell;
      return this;
    }

    /** Sets the probes allowed in flight in HALF_OPEN and the successes that close; at least 1. */
    public Builder probeCount(int probeCount) {
      this.probeCount = probeCount;
      return this;
    }

    /** Sets the failure percentage in (0, 100] that also opens the breaker; null to disable. */
    public Builder failureRateThreshold(@Nullable Double percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /** Sets how many calls the window must hold before the rate counts; at least 1. */
    public Builder minimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
      return this;
    }

    /** Sets the duration from which a success counts as a {@code slow} failure; null to disable. */
    public Builder slowCallDuration(@Nullable Duration slowCallDuration) {
      this.slowCallDuration = slowCallDuration;
      return this;
    }

    /** Sets the weight of failures with {@code code} (e.g. {@code timeout}); positive. */
    public Builder weight(String code, double weight) {
      weights.put(Objects.requireNonNull(code, "code"), weight);
      return this;
    }

    /** Validates the values and returns the config. */
    public CircuitBreakerConfig build() {
      return new CircuitBreakerConfig(this);
    }
  }
}
