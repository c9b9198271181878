package dev.resilience.spring.autoconfigure;

import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the breakers and rate limiters of {@code @Guarded} methods, under {@code resilience}.
 *
 * <p>Nothing under {@code resilience} is ignored: an unknown key, an unknown weight code or a bad
 * value stops start-up, every one of them reported at once (see {@link
 * InvalidResiliencePropertiesException}). That check runs after binding, not through {@code
 * ignoreUnknownFields = false}, so that unknown keys and bad values land in the same report.
 */
@ConfigurationProperties("resilience")
public class ResilienceProperties {

  /** Whether @Guarded methods are guarded; false passes every call straight through. */
  private boolean enabled = true;

  /** Defaults of every circuit breaker, and overrides per breaker name. */
  private final Breaker breaker = new Breaker();

  /** Defaults of every endpoint's token bucket, and overrides per endpoint name. */
  private final RateLimiter rateLimiter = new RateLimiter();

  /** Limits on how many calls of an endpoint run at once; off unless max-concurrent is set. */
  private final Bulkhead bulkhead = new Bulkhead();

  /**
   * Concurrency limits that move with the downstream's answers, in place of the bulkhead's fixed
   * max-concurrent; off unless enabled.
   */
  private final Adaptive adaptive = new Adaptive();

  /** Retries of failed calls; off unless max-attempts is above 1. */
  private final Retry retry = new Retry();

  /** Per-call timeouts of CompletionStage and Reactor calls; none unless a duration is set. */
  private final Timeout timeout = new Timeout();

  /** The resilience health contributor. */
  private final Health health = new Health();

  /** HTTP answers to rejected calls in Spring MVC applications. */
  private final Web web = new Web();

  /** Limits on requests to the application itself, per client, before any controller runs. */
  private final Inbound inbound = new Inbound();

  /** The live page at /resilience, off unless enabled. */
  private final Dashboard dashboard = new Dashboard();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Breaker getBreaker() {
    return breaker;
  }

  public RateLimiter getRateLimiter() {
    return rateLimiter;
  }

  public Bulkhead getBulkhead() {
    return bulkhead;
  }

  public Adaptive getAdaptive() {
    return adaptive;
  }

  public Retry getRetry() {
    return retry;
  }

  public Timeout getTimeout() {
    return timeout;
  }

  public Health getHealth() {
    return health;
  }

  public Web getWeb() {
    return web;
  }

  public Inbound getInbound() {
    return inbound;
  }

  public Dashboard getDashboard() {
    return dashboard;
  }

  /** The live page at {@code /resilience} and its event stream at {@code /resilience/stream}. */
  public static class Dashboard {

    /**
     * Whether the application serves the live page at /resilience (breakers, buckets and recent
     * events, updated live); it shows what GET /actuator/resilience shows, to whoever reaches it.
     */
    private boolean enabled = false;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Defaults of every circuit breaker, and overrides per breaker name. */
  public static class Breaker {

    /** How far back failures count; older failures no longer count. */
    private Duration window = Duration.ofSeconds(60);

    /** Weighted failures inside the window that open the breaker. */
    private int failThreshold = 10;

    /** How long an open breaker rejects calls before it lets a probe through. */
    private Duration cooldown = Duration.ofSeconds(30);

    /** Least time in a state before a move toward more traffic (OPEN to HALF_OPEN to CLOSED). */
    private Duration minDwell = Duration.ofSeconds(30);

    /** Probe calls allowed in flight in HALF_OPEN; as many must succeed in a row to close. */
    private int probeCount = 1;

    /** Failure percentage in (0, 100] that also opens the breaker; unset to use only the count. */
    private @Nullable Double failureRateThreshold;

    /** Calls the window must hold before the failure rate is considered. */
    private int minimumCalls = 20;

    /** Duration from which a successful call counts as a "slow" failure; unset to disable. */
    private @Nullable Duration slowCallDuration;

    /**
     * Weight of each failure code: 429, 500 to 599, timeout, network, slow, or the simple class
     * name of a recorded exception; unset codes weigh 1.0.
     */
    private Map<String, Double> weights = new LinkedHashMap<>();

    /** Exceptions (fully qualified class names) that count as failures though not HTTP or I/O. */
    private List<String> recordExceptions = new ArrayList<>();

    /**
     * Exceptions (fully qualified class names) that never count as failures; wins over all else.
     */
    private List<String> ignoreExceptions = new ArrayList<>();

    /** Overrides per breaker name; each may set any of the fields above. */
    private Map<String, BreakerOverride> endpointOverrides = new LinkedHashMap<>();

    public Duration getWindow() {
      return window;
    }

    public void setWindow(Duration window) {
      this.window = window;
    }

    public int getFailThreshold() {
      return failThreshold;
    }

    public void setFailThreshold(int failThreshold) {
      this.failThreshold = failThreshold;
    }

    public Duration getCooldown() {
      return cooldown;
    }

    public void setCooldown(Duration cooldown) {
      this.cooldown = cooldown;
    }

    public Duration getMinDwell() {
      return minDwell;
    }

    public void setMinDwell(Duration minDwell) {
      this.minDwell = minDwell;
    }

    public int getProbeCount() {
      return probeCount;
    }

    public void setProbeCount(int probeCount) {
      this.probeCount = probeCount;
    }

    public @Nullable Double getFailureRateThreshold() {
      return failureRateThreshold;
    }

    public void setFailureRateThreshold(@Nullable Double failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
    }

    public int getMinimumCalls() {
      return minimumCalls;
    }

    public void setMinimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
    }

    public @Nullable Duration getSlowCallDuration() {
      return slowCallDuration;
    }

    public void setSlowCallDuration(@Nullable Duration slowCallDuration) {
      this.slowCallDuration = slowCallDuration;
    }

    public Map<String, Double> getWeights() {
      return weights;
    }

    public void setWeights(Map<String, Double> weights) {
      this.weights = weights;
    }

    public List<String> getRecordExceptions() {
      return recordExceptions;
    }

    public void setRecordExceptions(List<String> recordExceptions) {
      this.recordExceptions = recordExceptions;
    }

    public List<String> getIgnoreExceptions() {
      return ignoreExceptions;
    }

    public void setIgnoreExceptions(List<String> ignoreExceptions) {
      this.ignoreExceptions = ignoreExceptions;
    }

    public Map<String, BreakerOverride> getEndpointOverrides() {
      return endpointOverrides;
    }

    public void setEndpointOverrides(Map<String, BreakerOverride> endpointOverrides) {
      this.endpointOverrides = endpointOverrides;
    }
  }

  /** A state a breaker is forced into at start-up ({@code forced}). */
  public enum Forced {
    /** Held OPEN: every call through the breaker is rejected. */
    OPEN,
    /** Held CLOSED: failures are counted but do not open the breaker. */
    CLOSED
  }

  /** The settings of one breaker that differ from the defaults; unset fields keep the default. */
  public static class BreakerOverride {

    /** How far back failures count. */
    private @Nullable Duration window;

    /** Weighted failures inside the window that open the breaker. */
    private @Nullable Integer failThreshold;

    /** How long an open breaker rejects calls before it lets a probe through. */
    private @Nullable Duration cooldown;

    /** Least time in a state before a move toward more traffic. */
    private @Nullable Duration minDwell;

    /** Probe calls allowed in flight in HALF_OPEN. */
    private @Nullable Integer probeCount;

    /** Failure percentage in (0, 100] that also opens the breaker. */
    private @Nullable Double failureRateThreshold;

    /** Calls the window must hold before the failure rate is considered. */
    private @Nullable Integer minimumCalls;

    /** Duration from which a successful call counts as a "slow" failure. */
    private @Nullable Duration slowCallDuration;

    /**
     * Weight of each failure code (the codes the defaults accept), added to the default weights.
     */
    private Map<String, Double> weights = new LinkedHashMap<>();

    /** Exceptions that count as failures, instead of the default list when set. */
    private @Nullable List<String> recordExceptions;

    /** Exceptions that never count as failures, instead of the default list when set. */
    private @Nullable List<String> ignoreExceptions;

    /**
     * A state the breaker is forced into at every start-up and held in: {@code open} rejects every
     * call through it (a kill switch that survives restarts and redeploys), {@code closed} lets
     * every call through, its failures counted but never opening it. Unset by default. An operator
     * may still force it otherwise through the actuator until the next start-up; removing the
     * property undoes it for good.
     */
    private @Nullable Forced forced;

    public @Nullable Forced getForced() {
      return forced;
    }

    public void setForced(@Nullable Forced forced) {
      this.forced = forced;
    }

    public @Nullable Duration getWindow() {
      return window;
    }

    public void setWindow(@Nullable Duration window) {
      this.window = window;
    }

    public @Nullable Integer getFailThreshold() {
      return failThreshold;
    }

    public void setFailThreshold(@Nullable Integer failThreshold) {
      this.failThreshold = failThreshold;
    }

    public @Nullable Duration getCooldown() {
      return cooldown;
    }

    public void setCooldown(@Nullable Duration cooldown) {
      this.cooldown = cooldown;
    }

    public @Nullable Duration getMinDwell() {
      return minDwell;
    }

    public void setMinDwell(@Nullable Duration minDwell) {
      this.minDwell = minDwell;
    }

    public @Nullable Integer getProbeCount() {
      return probeCount;
    }

    public void setProbeCount(@Nullable Integer probeCount) {
      this.probeCount = probeCount;
    }

    public @Nullable Double getFailureRateThreshold() {
      return failureRateThreshold;
    }

    public void setFailureRateThreshold(@Nullable Double failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
    }

    public @Nullable Integer getMinimumCalls() {
      return minimumCalls;
    }

    public void setMinimumCalls(@Nullable Integer minimumCalls) {
      this.minimumCalls = minimumCalls;
    }

    public @Nullable Duration getSlowCallDuration() {
      return slowCallDuration;
    }

    public void setSlowCallDuration(@Nullable Duration slowCallDuration) {
      this.slowCallDuration = slowCallDuration;
    }

    public Map<String, Double> getWeights() {
      return weights;
    }

    public void setWeights(Map<String, Double> weights) {
      this.weights = weights;
    }

    public @Nullable List<String> getRecordExceptions() {
      return recordExceptions;
    }

    public void setRecordExceptions(@Nullable List<String> recordExceptions) {
      this.recordExceptions = recordExceptions;
    }

    public @Nullable List<String> getIgnoreExceptions() {
      return ignoreExceptions;
    }

    public void setIgnoreExceptions(@Nullable List<String> ignoreExceptions) {
      this.ignoreExceptions = ignoreExceptions;
    }
  }

  /** Defaults of every endpoint's token bucket, and overrides per endpoint name. */
  public static class RateLimiter {

    /** Tokens added per second, continuously; fractions allowed (0.5 is one every 2 seconds). */
    private double capacityPerSecond = 8;

    /** Most tokens a bucket holds, and the tokens it starts with. */
    private int burst = 16;

    /** How long a call may wait for a token before it is rejected; 0 never waits. */
    private Duration maxWait = Duration.ofSeconds(1);

    /** Overrides per endpoint name; each may set any of the fields above. */
    private Map<String, RateLimiterOverride> endpointOverrides = new LinkedHashMap<>();

    /**
     * Most keys that hold state at once in each keyed endpoint's and each inbound rule's buckets
     * (at least 1). A key whose buckets are full again is dropped first, at no loss; beyond that,
     * the keys nearest to full are evicted.
     */
    private int maxKeys = 100_000;

    /**
     * Whether a downstream's 429 that counts as a failure and carries {@code Retry-After} (seconds
     * or an HTTP date) or an IETF {@code RateLimit} field with {@code t=} holds the endpoint's
     * bucket empty until then (at most an hour), so that no call of this instance reaches the
     * downstream before the time it asked for. An endpoint with a bucket per key is paused for all
     * its keys.
     */
    private boolean honorRetryAfter = true;

    /**
     * Where the buckets live: {@code local}, in this instance, or {@code redis}, shared by every
     * instance through Spring Data Redis and the application's {@code spring.data.redis.*}
     * connection.
     */
    private Backend backend = Backend.LOCAL;

    /** The Redis backend's settings; used only with {@code backend: redis}. */
    private final Redis redis = new Redis();

    public Backend getBackend() {
      return backend;
    }

    public void setBackend(Backend backend) {
      this.backend = backend;
    }

    public Redis getRedis() {
      return redis;
    }

    public double getCapacityPerSecond() {
      return capacityPerSecond;
    }

    public void setCapacityPerSecond(double capacityPerSecond) {
      this.capacityPerSecond = capacityPerSecond;
    }

    public int getBurst() {
      return burst;
    }

    public void setBurst(int burst) {
      this.burst = burst;
    }

    public Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }

    public Map<String, RateLimiterOverride> getEndpointOverrides() {
      return endpointOverrides;
    }

    public void setEndpointOverrides(Map<String, RateLimiterOverride> endpointOverrides) {
      this.endpointOverrides = endpointOverrides;
    }

    public int getMaxKeys() {
      return maxKeys;
    }

    public boolean isHonorRetryAfter() {
      return honorRetryAfter;
    }

    public void setHonorRetryAfter(boolean honorRetryAfter) {
      this.honorRetryAfter = honorRetryAfter;
    }

    public void setMaxKeys(int maxKeys) {
      this.maxKeys = maxKeys;
    }
  }

  /** Retries of failed calls, and overrides per endpoint name. */
  public static class Retry {

    /** Attempts in all, the first included; 1 (the default) never retries. */
    private int maxAttempts = 1;

    /** The longest wait before the second attempt; each wait is drawn between 0 and its cap. */
    private Duration initialBackoff = Duration.ofMillis(100);

    /**
     * The longest wait before any attempt; a downstream Retry-After longer than it ends the
     * retries, a shorter one replaces the wait.
     */
    private Duration maxBackoff = Duration.ofSeconds(10);

    /** How much the cap of the wait grows per attempt, at least 1. */
    private double multiplier = 2.0;

    /** The failure codes that are retried: HTTP statuses, timeout, network (or io), slow. */
    private List<String> retryOn =
        new ArrayList<>(List.of("429", "502", "503", "504", "timeout", "io"));

    /** Overrides per endpoint name; each may set any of the fields above. */
    private Map<String, RetryOverride> endpointOverrides = new LinkedHashMap<>();

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public double getMultiplier() {
      return multiplier;
    }

    public void setMultiplier(double multiplier) {
      this.multiplier = multiplier;
    }

    public List<String> getRetryOn() {
      return retryOn;
    }

    public void setRetryOn(List<String> retryOn) {
      this.retryOn = retryOn;
    }

    public Map<String, RetryOverride> getEndpointOverrides() {
      return endpointOverrides;
    }

    public void setEndpointOverrides(Map<String, RetryOverride> endpointOverrides) {
      this.endpointOverrides = endpointOverrides;
    }

    /** Returns the defaults as the core's config. */
    public RetryConfig defaults() {
      return new RetryConfig(
          maxAttempts, initialBackoff, maxBackoff, multiplier, new LinkedHashSet<>(retryOn));
    }

    /**
     * Returns the retries of {@code endpoint}: its override's settings over the defaults.
     *
     * @throws dev.resilience.core.InvalidConfigException if a value is out of range
     */
    public RetryConfig configOf(String endpoint) {
      RetryOverride override = endpointOverrides.get(endpoint);
      return override == null ? defaults() : override.over(defaults());
    }
  }

  /** The retry settings of one endpoint that differ from the defaults. */
  public static class RetryOverride {

    /** Attempts in all, the first included. */
    private @Nullable Integer maxAttempts;

    /** The longest wait before the second attempt. */
    private @Nullable Duration initialBackoff;

    /** The longest wait before any attempt. */
    private @Nullable Duration maxBackoff;

    /** How much the cap of the wait grows per attempt. */
    private @Nullable Double multiplier;

    /** The failure codes that are retried, instead of the default list when set. */
    private @Nullable List<String> retryOn;

    public @Nullable Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(@Nullable Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public @Nullable Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(@Nullable Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public @Nullable Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(@Nullable Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public @Nullable Double getMultiplier() {
      return multiplier;
    }

    public void setMultiplier(@Nullable Double multiplier) {
      this.multiplier = multiplier;
    }

    public @Nullable List<String> getRetryOn() {
      return retryOn;
    }

    public void setRetryOn(@Nullable List<String> retryOn) {
      this.retryOn = retryOn;
    }

    RetryConfig over(RetryConfig defaults) {
      return new RetryConfig(
          maxAttempts != null ? maxAttempts : defaults.maxAttempts(),
          initialBackoff != null ? initialBackoff : defaults.initialBackoff(),
          maxBackoff != null ? maxBackoff : defaults.maxBackoff(),
          multiplier != null ? multiplier : defaults.multiplier(),
          retryOn != null ? new LinkedHashSet<>(retryOn) : defaults.retryOn());
    }
  }

  /** Limits on how many calls of an endpoint run at once, and overrides per endpoint name. */
  public static class Bulkhead {

    /** Most calls of an endpoint in flight at once; 0 (the default) sets no limit. */
    private int maxConcurrent = 0;

    /** How long a call may wait for a free slot before it is rejected (503); 0 never waits. */
    private Duration maxWait = Duration.ZERO;

    /** Overrides per endpoint name; each may set any of the fields above. */
    private Map<String, BulkheadOverride> endpointOverrides = new LinkedHashMap<>();

    public int getMaxConcurrent() {
      return maxConcurrent;
    }

    public void setMaxConcurrent(int maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }

    public Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }

    public Map<String, BulkheadOverride> getEndpointOverrides() {
      return endpointOverrides;
    }

    public void setEndpointOverrides(Map<String, BulkheadOverride> endpointOverrides) {
      this.endpointOverrides = endpointOverrides;
    }
  }

  /** The bulkhead settings of one endpoint that differ from the defaults. */
  public static class BulkheadOverride {

    /** Most calls of the endpoint in flight at once; 0 sets no limit. */
    private @Nullable Integer maxConcurrent;

    /** How long a call may wait for a free slot. */
    private @Nullable Duration maxWait;

    public @Nullable Integer getMaxConcurrent() {
      return maxConcurrent;
    }

    public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }

    public @Nullable Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(@Nullable Duration maxWait) {
      this.maxWait = maxWait;
    }
  }

  /**
   * Adaptive concurrency limits of endpoints, and overrides per endpoint name: at most {@code
   * limit} calls of an endpoint in flight at once, a limit that shrinks when the downstream answers
   * with a counted failure (429, 5xx, timeout, slow) and grows back while it copes. A call that
   * finds the limit reached is rejected at once (503 with Retry-After, as a full bulkhead's); it
   * never waits. The gradient algorithm's tuning is fixed: it samples the round-trip time of one
   * success in 4 and averages it over 10 samples (short term) and 5,000 (long term), a tolerance of
   * 1.0 and a smoothing of 0.5.
   */
  public static class Adaptive {

    /**
     * Whether every endpoint has an adaptive limit; an endpoint that also has a bulkhead
     * max-concurrent above 0 stops start-up (the adaptive limit replaces it).
     */
    private boolean enabled = false;

    /**
     * How the limit moves: aimd (a counted failure multiplies it by backoff-ratio; a success while
     * at least half of it is in use adds one) or gradient (it also follows the ratio of the
     * long-term to the short-term round-trip time).
     */
    private AdaptiveLimitConfig.Algorithm algorithm = AdaptiveLimitConfig.Algorithm.AIMD;

    /** The lowest the limit goes, at least 1, so that some call always probes the downstream. */
    private int minLimit = 1;

    /** The highest the limit goes, at least min-limit. */
    private int maxLimit = 200;

    /**
     * The limit before any call ended, from min-limit to max-limit; unset: 20, or max-limit if
     * lower, or min-limit if higher.
     */
    private @Nullable Integer initialLimit;

    /** What a counted failure multiplies the limit by, greater than 0 and less than 1. */
    private double backoffRatio = 0.9;

    /**
     * gradient: how much slower than the long-term round-trip time the short-term one may be before
     * the limit shrinks, at least 1; above 1 so that a downstream's jitter does not read as a queue
     * (raise it for a noisier downstream).
     */
    private double tolerance = 1.1;

    /** Overrides per endpoint name; each may set any of the fields above, enabled included. */
    private Map<String, AdaptiveOverride> endpointOverrides = new LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public AdaptiveLimitConfig.Algorithm getAlgorithm() {
      return algorithm;
    }

    public void setAlgorithm(AdaptiveLimitConfig.Algorithm algorithm) {
      this.algorithm = algorithm;
    }

    public int getMinLimit() {
      return minLimit;
    }

    public void setMinLimit(int minLimit) {
      this.minLimit = minLimit;
    }

    public int getMaxLimit() {
      return maxLimit;
    }

    public void setMaxLimit(int maxLimit) {
      this.maxLimit = maxLimit;
    }

    public @Nullable Integer getInitialLimit() {
      return initialLimit;
    }

    public void setInitialLimit(@Nullable Integer initialLimit) {
      this.initialLimit = initialLimit;
    }

    public double getBackoffRatio() {
      return backoffRatio;
    }

    public void setBackoffRatio(double backoffRatio) {
      this.backoffRatio = backoffRatio;
    }

    public double getTolerance() {
      return tolerance;
    }

    public void setTolerance(double tolerance) {
      this.tolerance = tolerance;
    }

    public Map<String, AdaptiveOverride> getEndpointOverrides() {
      return endpointOverrides;
    }

    public void setEndpointOverrides(Map<String, AdaptiveOverride> endpointOverrides) {
      this.endpointOverrides = endpointOverrides;
    }
  }

  /** The adaptive limit settings of one endpoint that differ from the defaults. */
  public static class AdaptiveOverride {

    /** Whether the endpoint has an adaptive limit. */
    private @Nullable Boolean enabled;

    /** How the endpoint's limit moves: aimd or gradient. */
    private AdaptiveLimitConfig.@Nullable Algorithm algorithm;

    /** The lowest the endpoint's limit goes, at least 1. */
    private @Nullable Integer minLimit;

    /** The highest the endpoint's limit goes, at least min-limit. */
    private @Nullable Integer maxLimit;

    /** The endpoint's limit before any call ended, from min-limit to max-limit. */
    private @Nullable Integer initialLimit;

    /** What a counted failure multiplies the endpoint's limit by, between 0 and 1 exclusive. */
    private @Nullable Double backoffRatio;

    /** gradient: how much slower the endpoint's short-term round trip may get, at least 1. */
    private @Nullable Double tolerance;

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public AdaptiveLimitConfig.@Nullable Algorithm getAlgorithm() {
      return algorithm;
    }

    public void setAlgorithm(AdaptiveLimitConfig.@Nullable Algorithm algorithm) {
      this.algorithm = algorithm;
    }

    public @Nullable Integer getMinLimit() {
      return minLimit;
    }

    public void setMinLimit(@Nullable Integer minLimit) {
      this.minLimit = minLimit;
    }

    public @Nullable Integer getMaxLimit() {
      return maxLimit;
    }

    public void setMaxLimit(@Nullable Integer maxLimit) {
      this.maxLimit = maxLimit;
    }

    public @Nullable Integer getInitialLimit() {
      return initialLimit;
    }

    public void setInitialLimit(@Nullable Integer initialLimit) {
      this.initialLimit = initialLimit;
    }

    public @Nullable Double getBackoffRatio() {
      return backoffRatio;
    }

    public void setBackoffRatio(@Nullable Double backoffRatio) {
      this.backoffRatio = backoffRatio;
    }

    public @Nullable Double getTolerance() {
      return tolerance;
    }

    public void setTolerance(@Nullable Double tolerance) {
      this.tolerance = tolerance;
    }
  }

  /**
   * Per-call timeouts of {@code @Guarded} methods returning a {@code CompletionStage}, {@code Mono}
   * or {@code Flux}, and overrides per endpoint name. Synchronous calls are never interrupted: set
   * the HTTP client's own connect and read timeouts for them.
   */
  public static class Timeout {

    /**
     * How long a CompletionStage or Reactor call may take, from its admission (a Reactor call's
     * subscription) to its end, before it fails with a java.util.concurrent.TimeoutException that
     * counts as a timeout failure. Unset (the default) or 0 sets none.
     */
    private @Nullable Duration duration;

    /** Overrides per endpoint name; 0 removes the default timeout for one endpoint. */
    private Map<String, TimeoutOverride> endpointOverrides = new LinkedHashMap<>();

    public @Nullable Duration getDuration() {
      return duration;
    }

    public void setDuration(@Nullable Duration duration) {
      this.duration = duration;
    }

    public Map<String, TimeoutOverride> getEndpointOverrides() {
      return endpointOverrides;
    }

    public void setEndpointOverrides(Map<String, TimeoutOverride> endpointOverrides) {
      this.endpointOverrides = endpointOverrides;
    }

    /**
     * Returns the timeout of {@code endpoint}'s calls: its override's, else the default; null when
     * it has none.
     */
    public @Nullable Duration durationOf(String endpoint) {
      TimeoutOverride override = endpointOverrides.get(endpoint);
      Duration chosen =
          override != null && override.getDuration() != null ? override.getDuration() : duration;
      return chosen == null || chosen.isZero() || chosen.isNegative() ? null : chosen;
    }
  }

  /** The timeout of one endpoint that differs from the default. */
  public static class TimeoutOverride {

    /** How long a call of the endpoint may take; 0 sets none for this endpoint. */
    private @Nullable Duration duration;

    public @Nullable Duration getDuration() {
      return duration;
    }

    public void setDuration(@Nullable Duration duration) {
      this.duration = duration;
    }
  }

  /** Where the buckets live. */
  public enum Backend {
    /** In this instance's memory: each instance has buckets of its own. */
    LOCAL,
    /** In Redis: every instance draws from the same buckets. */
    REDIS
  }

  /** The Redis backend's settings. */
  public static class Redis {

    /** What decides a call while Redis does not answer. */
    public enum OnFailure {
      /** Each instance keeps limiting with in-process buckets of the same sizes. */
      LOCAL,
      /** Every call is admitted. */
      ALLOW,
      /** Every call is rejected. */
      DENY
    }

    /**
     * The longest a decision waits for Redis; past it, {@code on-failure} decides that call, and
     * Redis errors and timeouts open a breaker around Redis itself.
     */
    private Duration timeout = Duration.ofMillis(20);

    /**
     * What decides while Redis does not answer: {@code local} (each instance limits with buckets of
     * its own, of the same sizes), {@code allow} (admit every call) or {@code deny} (reject every
     * call).
     */
    private OnFailure onFailure = OnFailure.LOCAL;

    /**
     * Tokens an endpoint's bucket takes from Redis per round trip, spent in this instance; 0 or 1
     * takes one per call. All instances together may then admit up to {@code instances * (lease -
     * 1)} calls more than the bucket's bound over any window.
     */
    private int lease = 0;

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public OnFailure getOnFailure() {
      return onFailure;
    }

    public void setOnFailure(OnFailure onFailure) {
      this.onFailure = onFailure;
    }

    public int getLease() {
      return lease;
    }

    public void setLease(int lease) {
      this.lease = lease;
    }
  }

  /** The settings of one endpoint's bucket that differ from the defaults. */
  public static class RateLimiterOverride {

    /** Tokens added per second. */
    private @Nullable Double capacityPerSecond;

    /** Most tokens the bucket holds. */
    private @Nullable Integer burst;

    /** How long a call may wait for a token. */
    private @Nullable Duration maxWait;

    public @Nullable Double getCapacityPerSecond() {
      return capacityPerSecond;
    }

    public void setCapacityPerSecond(@Nullable Double capacityPerSecond) {
      this.capacityPerSecond = capacityPerSecond;
    }

    public @Nullable Integer getBurst() {
      return burst;
    }

    public void setBurst(@Nullable Integer burst) {
      this.burst = burst;
    }

    public @Nullable Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(@Nullable Duration maxWait) {
      this.maxWait = maxWait;
    }
  }

  /** The resilience health contributor. */
  public static class Health {

    /** Whether the health contributor reports DOWN while any breaker is OPEN. */
    private boolean downWhenOpen = false;

    public boolean isDownWhenOpen() {
      return downWhenOpen;
    }

    public void setDownWhenOpen(boolean downWhenOpen) {
      this.downWhenOpen = downWhenOpen;
    }
  }

  /** HTTP answers to rejected calls in Spring MVC applications. */
  public static class Web {

    /**
     * Whether rejections become 429/503 problem+json answers with Retry-After and RateLimit
     * headers.
     */
    private boolean problemDetails = true;

    public boolean isProblemDetails() {
      return problemDetails;
    }

    public void setProblemDetails(boolean problemDetails) {
      this.problemDetails = problemDetails;
    }
  }

  /**
   * Limits on requests to the application itself, per client: a servlet filter (or a WebFlux {@code
   * WebFilter}) that applies the rules below before any controller runs. It exists only in a web
   * application with at least one rule.
   */
  public static class Inbound {

    /** Whether the inbound filter applies the rules; it exists only when a rule is set. */
    private boolean enabled = true;

    /**
     * X-Forwarded-For hops to trust: 0 keys "ip" rules on the socket's peer address; n takes the
     * n-th address from the right of X-Forwarded-For. Set it to the number of proxies in front.
     */
    private int trustedProxies = 0;

    /**
     * Direct peers (socket addresses, IPv4 or IPv6, as addresses or CIDR blocks such as 10.0.0.0/8)
     * whose requests are never limited: internal services, health checkers.
     */
    private List<String> bypassCidrs = new ArrayList<>();

    /**
     * Which answers carry the RateLimit and RateLimit-Policy headers: always, on-reject (only 429
     * answers) or never. Retry-After is always on a 429.
     */
    private RateLimitHeaders headers = RateLimitHeaders.ALWAYS;

    /**
     * The rules by name (1 to 64 of [A-Za-z0-9_.-]); the name appears in headers, metrics and the
     * actuator. Every rule whose paths and methods match a request applies, in declaration order.
     */
    private Map<String, InboundRule> rules = new LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getTrustedProxies() {
      return trustedProxies;
    }

    public void setTrustedProxies(int trustedProxies) {
      this.trustedProxies = trustedProxies;
    }

    public List<String> getBypassCidrs() {
      return bypassCidrs;
    }

    public void setBypassCidrs(List<String> bypassCidrs) {
      this.bypassCidrs = bypassCidrs;
    }

    public RateLimitHeaders getHeaders() {
      return headers;
    }

    public void setHeaders(RateLimitHeaders headers) {
      this.headers = headers;
    }

    public Map<String, InboundRule> getRules() {
      return rules;
    }

    public void setRules(Map<String, InboundRule> rules) {
      this.rules = rules;
    }
  }

  /** Which answers of the inbound filter carry the RateLimit and RateLimit-Policy headers. */
  public enum RateLimitHeaders {
    /** Admitted and rejected answers alike. */
    ALWAYS,
    /** Only 429 answers. */
    ON_REJECT,
    /** None; a 429 still carries Retry-After. */
    NEVER
  }

  /** What an inbound rule does with a request that carries no key. */
  public enum MissingKey {
    /** Limit it under the shared key "anonymous". */
    ANONYMOUS,
    /** Answer 400 with the reason. */
    REJECT
  }

  /** One inbound rule: which requests it limits, per which key, and to what. */
  public static class InboundRule {

    /**
     * Path patterns, in Spring PathPattern syntax (/orders/**, /users/{id}); empty = every path.
     */
    private List<String> paths = new ArrayList<>();

    /** HTTP methods (GET, POST, ...) the rule applies to; empty = all. */
    private List<String> methods = new ArrayList<>();

    /**
     * What tells clients apart: ip, {@code header:<name>}, principal, or a SpEL expression over the
     * request (method, path, ip, principal, header('X-Name')).
     */
    private String key = "ip";

    /**
     * The limits each key is held to, each {quota, window}: a bucket of quota tokens refilled at
     * quota/window. All must admit a request; a rejected request takes from none.
     */
    private List<InboundLimit> limits = new ArrayList<>();

    /**
     * Limits by tier, replacing the rule's limits for the keys a TierResolver bean puts in that
     * tier.
     */
    private Map<String, List<InboundLimit>> tiers = new LinkedHashMap<>();

    /** Whether the rule only counts what it would reject (shadow_rejected), rejecting nothing. */
    private boolean shadow = false;

    /**
     * What a request without a key (a missing header, no principal) gets: anonymous limits it under
     * the key "anonymous", reject answers 400.
     */
    private MissingKey missingKey = MissingKey.ANONYMOUS;

    /**
     * An adaptive concurrency limit on the requests the rule matches (the actuator's and the live
     * page's paths excepted): at most so many in flight at once, a number that follows the ratio of
     * the long-term to the short-term round-trip time. A rule may have limits, an adaptive limit,
     * or both; a rule with no paths and only an adaptive limit guards every request.
     */
    private InboundAdaptive adaptive = new InboundAdaptive();

    public List<String> getPaths() {
      return paths;
    }

    public void setPaths(List<String> paths) {
      this.paths = paths;
    }

    public List<String> getMethods() {
      return methods;
    }

    public void setMethods(List<String> methods) {
      this.methods = methods;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public List<InboundLimit> getLimits() {
      return limits;
    }

    public void setLimits(List<InboundLimit> limits) {
      this.limits = limits;
    }

    public Map<String, List<InboundLimit>> getTiers() {
      return tiers;
    }

    public void setTiers(Map<String, List<InboundLimit>> tiers) {
      this.tiers = tiers;
    }

    public boolean isShadow() {
      return shadow;
    }

    public void setShadow(boolean shadow) {
      this.shadow = shadow;
    }

    public MissingKey getMissingKey() {
      return missingKey;
    }

    public void setMissingKey(MissingKey missingKey) {
      this.missingKey = missingKey;
    }

    public InboundAdaptive getAdaptive() {
      return adaptive;
    }

    public void setAdaptive(InboundAdaptive adaptive) {
      this.adaptive = adaptive;
    }
  }

  /**
   * The adaptive concurrency limit of an inbound rule: latency-gradient based, since a service's
   * own overload shows first as requests that take longer (they queue for threads, connections and
   * locks), well before it fails any.
   */
  public static class InboundAdaptive {

    /** Whether the rule has an adaptive concurrency limit; rejections answer 503. */
    private boolean enabled = false;

    /** The lowest the limit goes, at least 1, so that some request always gets through. */
    private int minLimit = 10;

    /**
     * The highest the limit goes, at least min-limit; 200 is Tomcat's default thread count, beyond
     * which requests queue in the server anyway.
     */
    private int maxLimit = 200;

    /** The limit before any request ended, from min-limit to max-limit. */
    private int initialLimit = 50;

    /**
     * How much slower than the long-term round-trip time the short-term one may be before the limit
     * shrinks, at least 1: 1.5 lets requests take half as long again, which a service's ordinary
     * jitter does, before it sheds any.
     */
    private double tolerance = 1.5;

    /**
     * The share of the limit guaranteed to each tier (a TierResolver bean names a key's tier from
     * the rule's key), each greater than 0, all together at most 1: under overload, requests of
     * other tiers never take a tier's unused share. Keys in no listed tier share the rest. Empty:
     * the limit is one pool.
     */
    private Map<String, Double> partitions = new LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getMinLimit() {
      return minLimit;
    }

    public void setMinLimit(int minLimit) {
      this.minLimit = minLimit;
    }

    public int getMaxLimit() {
      return maxLimit;
    }

    public void setMaxLimit(int maxLimit) {
      this.maxLimit = maxLimit;
    }

    public int getInitialLimit() {
      return initialLimit;
    }

    public void setInitialLimit(int initialLimit) {
      this.initialLimit = initialLimit;
    }

    public double getTolerance() {
      return tolerance;
    }

    public void setTolerance(double tolerance) {
      this.tolerance = tolerance;
    }

    public Map<String, Double> getPartitions() {
      return partitions;
    }

    public void setPartitions(Map<String, Double> partitions) {
      this.partitions = partitions;
    }
  }

  /** One limit of an inbound rule: {@code quota} requests per {@code window}. */
  public static class InboundLimit {

    /** Requests a key may make at once; the bucket holds this many tokens when full. */
    private @Nullable Integer quota;

    /** The time over which a full quota is refilled, evenly (quota/window per second). */
    private @Nullable Duration window;

    public @Nullable Integer getQuota() {
      return quota;
    }

    public void setQuota(@Nullable Integer quota) {
      this.quota = quota;
    }

    public @Nullable Duration getWindow() {
      return window;
    }

    public void setWindow(@Nullable Duration window) {
      this.window = window;
    }
  }
}
