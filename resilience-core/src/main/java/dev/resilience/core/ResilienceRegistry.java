package dev.resilience.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Creates and holds the named breakers and buckets of an application: the one place that owns them,
 * which everything else (guards, endpoints, metrics, health) reads from.
 *
 * <p>A breaker or bucket is created on first request, from the override for its name if there is
 * one, else from the defaults, and the same instance is returned for that name from then on.
 *
 * <pre>{@code
 * ResilienceRegistry registry = ResilienceRegistry.builder()
 *     .rateLimiterDefaults(new RateLimiterConfig(8, 16, Duration.ofSeconds(1)))
 *     .rateLimiterOverride("place_order", new RateLimiterConfig(5, 10, Duration.ofSeconds(1)))
 *     .circuitBreakerOverride("exchange", CircuitBreakerConfig.builder().failThreshold(3).build())
 *     .build();
 * CircuitBreaker exchange = registry.circuitBreaker("exchange");
 * }</pre>
 */
public final class ResilienceRegistry {

  private final Ticker ticker;
  private final CircuitBreakerConfig breakerDefaults;
  private final Map<String, CircuitBreakerConfig> breakerOverrides;
  private final RateLimiterConfig limiterDefaults;
  private final Map<String, RateLimiterConfig> limiterOverrides;
  private final RateLimiterFactory limiterFactory;
  private final BulkheadConfig bulkheadDefaults;
  private final Map<String, BulkheadConfig> bulkheadOverrides;
  private final @Nullable AdaptiveLimitConfig adaptiveDefaults;

  /** Null values: the adaptive limit is off for that endpoint. */
  private final Map<String, @Nullable AdaptiveLimitConfig> adaptiveOverrides;

  private final List<TransitionListener> listeners;
  private final Sleeper sleeper;
  private final DownstreamPacing pacing;
  private final ConcurrentMap<String, TimeWindowCircuitBreaker> breakers =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, KeyedRateLimiter> keyedLimiters = new ConcurrentHashMap<>();
  private final int maxKeys;
  private final ConcurrentMap<String, Guard> guards = new ConcurrentHashMap<>();

  /** The settings in force of the keyed endpoints whose limits were changed, by endpoint. */
  private final ConcurrentMap<String, RateLimiterConfig> keyedLimitsInForce =
      new ConcurrentHashMap<>();

  /** Guarded by {@link #binding}. */
  private final List<Consumer<Guard>> guardObservers = new ArrayList<>();

  /** Guarded by {@link #binding}. */
  private final List<Consumer<KeyedRateLimiter>> keyedObservers = new ArrayList<>();

  private final Object binding = new Object();

  private ResilienceRegistry(Builder builder) {
    this.ticker = builder.ticker;
    this.breakerDefaults = builder.breakerDefaults;
    this.breakerOverrides = Map.copyOf(builder.breakerOverrides);
    this.limiterDefaults = builder.limiterDefaults;
    this.limiterOverrides = Map.copyOf(builder.limiterOverrides);
    this.limiterFactory = builder.limiterFactory;
    this.bulkheadDefaults = builder.bulkheadDefaults;
    this.bulkheadOverrides = Map.copyOf(builder.bulkheadOverrides);
    this.adaptiveDefaults = builder.adaptiveDefaults;
    this.adaptiveOverrides = Collections.unmodifiableMap(new TreeMap<>(builder.adaptiveOverrides));
    this.listeners = List.copyOf(builder.listeners);
    this.sleeper = builder.sleeper;
    this.pacing = builder.pacing;
    this.maxKeys = builder.maxKeys;
  }

  /** Returns a builder with the default configs, the system ticker and local token buckets. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the ticker every breaker and bucket of this registry reads. */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Returns the breaker with this name, creating it on first use.
   *
   * @throws InvalidConfigException if the name is not 1 to 64 of {@code [A-Za-z0-9_.-]}
   */
  public CircuitBreaker circuitBreaker(String name) {
    return breaker(name);
  }

  private TimeWindowCircuitBreaker breaker(String name) {
    TimeWindowCircuitBreaker breaker = breakers.get(name);
    return breaker != null
        ? breaker
        : breakers.computeIfAbsent(Checks.name("breaker", name), this::newBreaker);
  }

  /**
   * Returns the rate limiter of this endpoint, creating it on first use.
   *
   * @throws InvalidConfigException if the name is not 1 to 64 of {@code [A-Za-z0-9_.-]}
   */
  public RateLimiter rateLimiter(String endpoint) {
    RateLimiter limiter = limiters.get(endpoint);
    return limiter != null
        ? limiter
        : limiters.computeIfAbsent(Checks.name("endpoint", endpoint), this::newLimiter);
  }

  /**
   * Binds an endpoint to its breaker and returns its guard, creating the breaker and the bucket as
   * needed. Declaring the same endpoint again with the same breaker and allowlist flag returns the
   * same guard.
   *
   * @param endpoint the endpoint, which names the bucket
   * @param breaker the breaker it reports to; several endpoints may share one
   * @param allowlisted whether its calls pass while the breaker is OPEN or HALF_OPEN
   * @throws IllegalStateException if the endpoint is already bound to another breaker or flag
   * @throws InvalidConfigException if a name is not 1 to 64 of {@code [A-Za-z0-9_.-]}
   */
  public Guard guard(String endpoint, String breaker, boolean allowlisted) {
    return guard(endpoint, breaker, allowlisted, false);
  }

  /**
   * Like {@link #guard(String, String, boolean)}, for an endpoint whose every key has its own
   * bucket, with the endpoint's rate and burst; the breaker stays shared by all keys. At most
   * {@link Builder#maxKeys max-keys} keys hold state at once.
   *
   * @throws IllegalStateException if the endpoint is already bound differently, or its name is
   *     taken by another keyed limiter
   */
  public Guard keyedGuard(String endpoint, String breaker, boolean allowlisted) {
    return guard(endpoint, breaker, allowlisted, true);
  }

  private Guard guard(String endpoint, String breaker, boolean allowlisted, boolean keyed) {
    Guard existing = guards.get(endpoint);
    if (existing == null) {
      existing = bind(endpoint, breaker, allowlisted, keyed);
    }
    if (!existing.breaker().name().equals(breaker)
        || existing.allowlisted() != allowlisted
        || existing.keyed() != keyed) {
      throw new IllegalStateException(
          "Endpoint '"
              + endpoint
              + "' is declared twice differently: with "
              + describe(existing.breaker().name(), existing.allowlisted(), existing.keyed())
              + " and with "
              + describe(breaker, allowlisted, keyed)
              + ". An endpoint has one breaker, one allowlist flag and one kind of bucket (one"
              + " for all calls, or one per key): use the same values everywhere, or give one of"
              + " them another endpoint name.");
    }
    return existing;
  }

  private static String describe(String breaker, boolean allowlisted, boolean keyed) {
    return "breaker '"
        + breaker
        + "'"
        + (allowlisted ? " (allowlisted)" : "")
        + (keyed ? " (a bucket per key)" : "");
  }

  /**
   * Creates the endpoint's guard unless another thread just did, and shows a new one to every
   * observer. Binding is rare (once per endpoint), so it takes a lock, shared with {@link
   * #observeGuards}, so that each observer sees each guard exactly once.
   */
  private Guard bind(String endpoint, String breaker, boolean allowlisted, boolean keyed) {
    Checks.name("endpoint", endpoint);
    Checks.name("breaker", breaker);
    synchronized (binding) {
      Guard existing = guards.get(endpoint);
      if (existing != null) {
        return existing;
      }
      RateLimiterConfig config = rateLimiterConfig(endpoint);
      BulkheadConfig bulkhead = bulkheadConfig(endpoint);
      AdaptiveLimitConfig adaptive = adaptiveLimitConfig(endpoint);
      if (adaptive != null && bulkhead.enabled()) {
        throw new InvalidConfigException(
            "maxConcurrent",
            Integer.toString(bulkhead.maxConcurrent()),
            "0 for endpoint '"
                + endpoint
                + "', which has an adaptive limit: the adaptive limit replaces the bulkhead's"
                + " fixed maxConcurrent; turn one of them off for this endpoint");
      }
      Guard created =
          new Guard(
              endpoint,
              breaker(breaker),
              keyed ? null : rateLimiter(endpoint),
              keyed ? keyedRateLimiter(endpoint, Limits.of(Limit.of(config))) : null,
              bulkhead.enabled() ? Bulkhead.of(endpoint, bulkhead) : null,
              adaptive == null ? null : AdaptiveLimit.of(endpoint, adaptive, ticker),
              config,
              allowlisted,
              ticker,
              sleeper,
              pacing);
      guards.put(endpoint, created);
      for (Consumer<Guard> observer : guardObservers) {
        observer.accept(created);
      }
      return created;
    }
  }

  /**
   * Creates the buckets per key named {@code name} (an inbound rule, or a keyed endpoint), each key
   * held to {@code limits}. At most {@link Builder#maxKeys max-keys} keys hold state at once.
   *
   * @throws IllegalStateException if keyed buckets of this name exist already: rules and keyed
   *     endpoints share one namespace, so that an operator can name either
   */
  public KeyedRateLimiter keyedRateLimiter(String name, Limits limits) {
    Objects.requireNonNull(limits, "limits");
    return register(limiterFactory.createKeyed(name, key -> limits, true, maxKeys, ticker));
  }

  /**
   * Creates the buckets per key named {@code name}, each key held to the limits {@code limitsOfKey}
   * gives it (tiers).
   *
   * @throws IllegalStateException if keyed buckets of this name exist already
   */
  public KeyedRateLimiter keyedRateLimiter(String name, Function<String, Limits> limitsOfKey) {
    return register(limiterFactory.createKeyed(name, limitsOfKey, false, maxKeys, ticker));
  }

  private KeyedRateLimiter register(KeyedRateLimiter created) {
    String name = created.name();
    synchronized (binding) {
      if (keyedLimiters.putIfAbsent(name, created) != null) {
        throw new IllegalStateException(
            "'"
                + name
                + "' names two limits per key (inbound rules or endpoints with a key): give each"
                + " its own name");
      }
      for (Consumer<KeyedRateLimiter> observer : keyedObservers) {
        observer.accept(created);
      }
    }
    return created;
  }

  /**
   * Calls {@code observer} with all buckets per key created so far, then with each one created
   * later.
   */
  public void observeKeyedRateLimiters(Consumer<KeyedRateLimiter> observer) {
    Objects.requireNonNull(observer, "observer");
    synchronized (binding) {
      keyedObservers.add(observer);
      keyedLimiters.values().forEach(observer);
    }
  }

  /** Returns the guards bound so far, by endpoint in alphabetical order. */
  public SortedMap<String, Guard> guards() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(guards));
  }

  /** Calls {@code observer} with every guard bound so far, then with each guard bound later. */
  public void observeGuards(Consumer<Guard> observer) {
    Objects.requireNonNull(observer, "observer");
    synchronized (binding) {
      guardObservers.add(observer);
      guards.values().forEach(observer);
    }
  }

  /** Returns the breaker with this name if it was created, else null. */
  public @Nullable CircuitBreaker findCircuitBreaker(String name) {
    return breakers.get(name);
  }

  /** Returns the rate limiter of this endpoint if it was created, else null. */
  public @Nullable RateLimiter findRateLimiter(String endpoint) {
    return limiters.get(endpoint);
  }

  /** Returns the breakers created so far, by name in alphabetical order. */
  public SortedMap<String, CircuitBreaker> circuitBreakers() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(breakers));
  }

  /**
   * Returns the buckets per key of this name (a rule or a keyed endpoint) if created, else null.
   */
  public @Nullable KeyedRateLimiter findKeyedRateLimiter(String name) {
    return keyedLimiters.get(name);
  }

  /** Returns the buckets per key created so far, by name in alphabetical order. */
  public SortedMap<String, KeyedRateLimiter> keyedRateLimiters() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(keyedLimiters));
  }

  /** Returns the rate limiters created so far, by endpoint in alphabetical order. */
  public SortedMap<String, RateLimiter> rateLimiters() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(limiters));
  }

  /**
   * Changes the limits of {@code endpoint}'s bucket at once, while calls go on ({@link
   * RateLimiter#changeLimits}): the tokens it holds are kept, at most the new burst. For an
   * endpoint with a bucket per key, every key's bucket changes, each keeping its tokens. {@code
   * maxWait} is unchanged. The change lives in this registry only: it does not outlive it.
   *
   * @return the settings in force before the change
   * @throws IllegalArgumentException if no endpoint's bucket has this name
   * @throws InvalidConfigException if the values are not a valid {@link RateLimiterConfig}
   * @throws UnsupportedOperationException if the bucket lives in a store shared with other
   *     instances
   */
  public RateLimiterConfig changeLimits(String endpoint, double capacityPerSecond, int burst) {
    RateLimiter limiter = limiters.get(endpoint);
    if (limiter != null) {
      return limiter.changeLimits(capacityPerSecond, burst);
    }
    Guard guard = guards.get(endpoint);
    KeyedRateLimiter keyed = guard == null ? null : guard.keyedRateLimiter();
    if (keyed == null) {
      throw new IllegalArgumentException("No endpoint's bucket is named '" + endpoint + "'");
    }
    synchronized (keyed) {
      RateLimiterConfig before = limitsInForce(endpoint);
      RateLimiterConfig next = new RateLimiterConfig(capacityPerSecond, burst, before.maxWait());
      RateLimiterConfig configured = rateLimiterConfig(endpoint);
      keyed.replaceLimits(Limits.of(Limit.of(configured)), Limits.of(Limit.of(next)));
      if (next.equals(configured)) {
        keyedLimitsInForce.remove(endpoint);
      } else {
        keyedLimitsInForce.put(endpoint, next);
      }
      return before;
    }
  }

  /**
   * Returns {@code endpoint}'s bucket (or buckets per key) to its configured limits, as {@link
   * #changeLimits} changes them: keeping its tokens.
   *
   * @return the settings in force before
   * @throws IllegalArgumentException if no endpoint's bucket has this name
   */
  public RateLimiterConfig restoreLimits(String endpoint) {
    RateLimiterConfig configured = rateLimiterConfig(endpoint);
    return changeLimits(endpoint, configured.capacityPerSecond(), configured.burst());
  }

  /**
   * Returns the settings in force for {@code endpoint}'s bucket, or each of its keys' buckets: its
   * {@linkplain #rateLimiterConfig configured} ones unless {@link #changeLimits} changed them.
   */
  public RateLimiterConfig limitsInForce(String endpoint) {
    RateLimiter limiter = limiters.get(endpoint);
    if (limiter != null) {
      return limiter.config();
    }
    RateLimiterConfig changed = keyedLimitsInForce.get(endpoint);
    return changed != null ? changed : rateLimiterConfig(endpoint);
  }

  /**
   * Returns whether the limits in force for {@code endpoint} differ from its configured ones: a
   * change to the configured values is no change.
   */
  public boolean limitsChanged(String endpoint) {
    return !limitsInForce(endpoint).equals(rateLimiterConfig(endpoint));
  }

  /** Returns the config a breaker of this name has or would have. */
  public CircuitBreakerConfig circuitBreakerConfig(String name) {
    return breakerOverrides.getOrDefault(name, breakerDefaults);
  }

  /** Returns the config the rate limiter of this endpoint has or would have. */
  public RateLimiterConfig rateLimiterConfig(String endpoint) {
    return limiterOverrides.getOrDefault(endpoint, limiterDefaults);
  }

  /** Returns the bulkhead config of this endpoint; {@link BulkheadConfig#none()} by default. */
  public BulkheadConfig bulkheadConfig(String endpoint) {
    return bulkheadOverrides.getOrDefault(endpoint, bulkheadDefaults);
  }

  /** Returns the adaptive limit config of this endpoint, or null when it has none (the default). */
  public @Nullable AdaptiveLimitConfig adaptiveLimitConfig(String endpoint) {
    return adaptiveOverrides.containsKey(endpoint)
        ? adaptiveOverrides.get(endpoint)
        : adaptiveDefaults;
  }

  private TimeWindowCircuitBreaker newBreaker(String name) {
    TimeWindowCircuitBreaker breaker =
        new TimeWindowCircuitBreaker(name, circuitBreakerConfig(name), ticker);
    listeners.forEach(breaker::addListener);
    return breaker;
  }

  private RateLimiter newLimiter(String endpoint) {
    return limiterFactory.create(endpoint, rateLimiterConfig(endpoint), ticker);
  }

  /** Makes the buckets; lets buckets shared by many instances replace the in-process ones. */
  @FunctionalInterface
  public interface RateLimiterFactory {

    /**
     * Creates the limiter of {@code endpoint} with {@code config}, reading time from {@code
     * ticker}.
     */
    RateLimiter create(String endpoint, RateLimiterConfig config, Ticker ticker);

    /**
     * Creates the buckets per key named {@code name}; by default in-process ones ({@link
     * KeyedRateLimiter#inMemory}).
     *
     * @param limitsOfKey the limits of each key
     * @param sameForEveryKey whether {@code limitsOfKey} gives every key the same limits (no tiers)
     */
    default KeyedRateLimiter createKeyed(
        String name,
        Function<String, Limits> limitsOfKey,
        boolean sameForEveryKey,
        int maxKeys,
        Ticker ticker) {
      return sameForEveryKey
          ? KeyedRateLimiter.inMemory(name, limitsOfKey.apply(""), maxKeys, ticker)
          : KeyedRateLimiter.inMemory(name, limitsOfKey, maxKeys, ticker);
    }
  }

  /** Collects the settings of a {@link ResilienceRegistry}. */
  public static final class Builder {

    private Ticker ticker = Ticker.system();
    private CircuitBreakerConfig breakerDefaults = CircuitBreakerConfig.defaults();
    private final Map<String, CircuitBreakerConfig> breakerOverrides = new TreeMap<>();
    private RateLimiterConfig limiterDefaults = RateLimiterConfig.defaults();
    private final Map<String, RateLimiterConfig> limiterOverrides = new TreeMap<>();
    private RateLimiterFactory limiterFactory = RateLimiter::tokenBucket;
    private BulkheadConfig bulkheadDefaults = BulkheadConfig.none();
    private final Map<String, BulkheadConfig> bulkheadOverrides = new TreeMap<>();
    private @Nullable AdaptiveLimitConfig adaptiveDefaults;
    private final Map<String, @Nullable AdaptiveLimitConfig> adaptiveOverrides = new TreeMap<>();
    private final List<TransitionListener> listeners = new ArrayList<>();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private DownstreamPacing pacing = DownstreamPacing.none();
    private int maxKeys = 100_000;

    private Builder() {}

    /**
     * Sets how many keys at most hold state in each rule's or keyed endpoint's buckets; default
     * 100000.
     */
    public Builder maxKeys(int maxKeys) {
      this.maxKeys = Checks.atLeast("maxKeys", maxKeys, 1);
      return this;
    }

    /** Sets how guards wait for a reserved token; tests record the waits instead of taking them. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Sets the clock of every breaker and bucket; tests pass a hand-driven one. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Sets the config of every breaker that has no override. */
    public Builder circuitBreakerDefaults(CircuitBreakerConfig config) {
      this.breakerDefaults = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Sets the config of the breaker named {@code name}. */
    public Builder circuitBreakerOverride(String name, CircuitBreakerConfig config) {
      breakerOverrides.put(Checks.name("breaker", name), Objects.requireNonNull(config, "config"));
      return this;
    }

    /** Sets the config of every endpoint's bucket that has no override. */
    public Builder rateLimiterDefaults(RateLimiterConfig config) {
      this.limiterDefaults = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Sets the config of the bucket of {@code endpoint}. */
    public Builder rateLimiterOverride(String endpoint, RateLimiterConfig config) {
      limiterOverrides.put(
          Checks.name("endpoint", endpoint), Objects.requireNonNull(config, "config"));
      return this;
    }

    /**
     * Sets the bulkhead of every endpoint that has no override; by default none ({@link
     * BulkheadConfig#none()}), so calls are not limited in number.
     */
    public Builder bulkheadDefaults(BulkheadConfig config) {
      this.bulkheadDefaults = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Sets the bulkhead of {@code endpoint}; {@link BulkheadConfig#none()} turns it off there. */
    public Builder bulkheadOverride(String endpoint, BulkheadConfig config) {
      bulkheadOverrides.put(
          Checks.name("endpoint", endpoint), Objects.requireNonNull(config, "config"));
      return this;
    }

    /**
     * Sets the adaptive concurrency limit of every endpoint that has no override; by default none
     * (null). It replaces the bulkhead's fixed {@code maxConcurrent}: an endpoint with both is
     * refused when its guard is made. A call that finds the limit reached is turned away at once
     * with a {@link BulkheadFullException}; it never waits for a slot.
     *
     * @param config the settings, or null for no adaptive limit
     */
    public Builder adaptiveLimitDefaults(@Nullable AdaptiveLimitConfig config) {
      this.adaptiveDefaults = config;
      return this;
    }

    /**
     * Sets the adaptive concurrency limit of {@code endpoint}; null turns it off there.
     *
     * @see #adaptiveLimitDefaults
     */
    public Builder adaptiveLimitOverride(String endpoint, @Nullable AdaptiveLimitConfig config) {
      adaptiveOverrides.put(Checks.name("endpoint", endpoint), config);
      return this;
    }

    /** Sets how buckets are made; the default makes local, in-process token buckets. */
    public Builder rateLimiterFactory(RateLimiterFactory factory) {
      this.limiterFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Sets how guards read a pause the downstream asked for from a counted failure ({@code
     * Retry-After}); the default never pauses.
     */
    public Builder downstreamPacing(DownstreamPacing pacing) {
      this.pacing = Objects.requireNonNull(pacing, "pacing");
      return this;
    }

    /** Adds a listener told of every transition of every breaker this registry creates. */
    public Builder transitionListener(TransitionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Returns the registry. */
    public ResilienceRegistry build() {
      return new ResilienceRegistry(this);
    }
  }
}
