package dev.resilience.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /** The resilience health contributor. */
  private final Health health = new Health();

  /** HTTP answers to rejected calls in Spring MVC applications. */
  private final Web web = new Web();

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

  public Health getHealth() {
    return health;
  }

  public Web getWeb() {
    return web;
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

    public void setMaxKeys(int maxKeys) {
      this.maxKeys = maxKeys;
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
}
