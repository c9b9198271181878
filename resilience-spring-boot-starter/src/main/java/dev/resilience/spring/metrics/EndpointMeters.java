package dev.resilience.spring.metrics;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.Bulkhead;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CallRejectedException;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.FailureCodes;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardListener;
import dev.resilience.core.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one endpoint, registered when its guard is bound, and the guard's listener that
 * updates them. A keyed endpoint has every one of them but the available-tokens gauge: it has no
 * one bucket (its keys show in {@link KeyedLimiterMeters}). A call only increments counters held in
 * fields (or found in a map that is read without allocating): it never builds tags or looks a meter
 * up by name.
 */
final class EndpointMeters implements GuardListener {

  static final String CALLS = "resilience.calls";
  static final String FAILURES = "resilience.failures";
  static final String RATE_LIMIT_HITS = "resilience.rate.limit.hits";
  static final String RATE_LIMIT_WAIT = "resilience.rate.limit.wait";
  static final String AVAILABLE_TOKENS = "resilience.rate.limit.available.tokens";
  static final String DOWNSTREAM_PAUSES = "resilience.rate.limit.downstream.pauses";
  static final String BULKHEAD_IN_FLIGHT = "resilience.bulkhead.in.flight";

  /** The failure codes whose series exist from start-up; the HTTP classifier's and the core's. */
  static final List<String> COMMON_CODES =
      List.of(
          "429",
          "500",
          "502",
          "503",
          "504",
          FailureCodes.TIMEOUT,
          FailureCodes.NETWORK,
          FailureCodes.SLOW);

  /** The wait histogram's buckets. */
  static final Duration[] WAIT_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofMillis(1000),
    Duration.ofMillis(2500),
    Duration.ofMillis(5000),
  };

  private final String endpoint;
  private final MeterRegistry registry;
  private final Counter success;
  private final Counter failure;
  private final Counter ignoredError;
  private final Counter rejectedBreaker;
  private final Counter rejectedRateLimit;
  private final @Nullable Counter rejectedBulkhead;
  private final Counter rateLimitHits;
  private final Timer rateLimitWait;
  private final Counter downstreamPauses;
  private final Map<String, Counter> failuresByCode = new ConcurrentHashMap<>();

  EndpointMeters(Guard guard, MeterRegistry registry) {
    this.endpoint = guard.endpoint();
    this.registry = registry;
    this.success = call("success");
    this.failure = call("failure");
    this.ignoredError = call("ignored_error");
    this.rejectedBreaker = call("rejected_breaker");
    this.rejectedRateLimit = call("rejected_rate_limit");
    // only an endpoint with a bulkhead (or an adaptive limit in its place) can be turned away by
    // one: no empty series for the others
    this.rejectedBulkhead =
        guard.bulkhead() == null && guard.adaptiveLimit() == null
            ? null
            : call("rejected_bulkhead");
    for (String code : COMMON_CODES) {
      failuresByCode.put(code, failureCounter(code));
    }
    this.rateLimitHits =
        Counter.builder(RATE_LIMIT_HITS)
            .description(
                "Calls that found the token bucket empty, whether they then waited or were rejected")
            .tag("endpoint", endpoint)
            .register(registry);
    this.rateLimitWait =
        Timer.builder(RATE_LIMIT_WAIT)
            .description("Time calls admitted by the rate limiter waited for a token")
            .tag("endpoint", endpoint)
            .serviceLevelObjectives(WAIT_BUCKETS)
            .publishPercentileHistogram(false)
            .register(registry);
    Bulkhead bulkhead = guard.bulkhead();
    if (bulkhead != null) {
      Gauge.builder(BULKHEAD_IN_FLIGHT, bulkhead, Bulkhead::inFlight)
          .description("Calls of the endpoint in flight in its bulkhead now")
          .tag("endpoint", endpoint)
          .strongReference(true)
          .register(registry);
    }
    AdaptiveLimit adaptive = guard.adaptiveLimit();
    if (adaptive != null) {
      AdaptiveLimitMeters.bind(adaptive, registry);
    }
    RateLimiter limiter = guard.rateLimiter();
    // a keyed endpoint has no one bucket to read: its keys are counted by KeyedLimiterMeters
    if (limiter != null) {
      Gauge.builder(AVAILABLE_TOKENS, limiter, RateLimiter::availableTokens)
          .description("Tokens in the endpoint's bucket now")
          .tag("endpoint", endpoint)
          .strongReference(true)
          .register(registry);
    }
    this.downstreamPauses =
        Counter.builder(DOWNSTREAM_PAUSES)
            .description(
                "Times a downstream's 429 with Retry-After or RateLimit held the endpoint's"
                    + " calls back")
            .tag("endpoint", endpoint)
            .register(registry);
  }

  @Override
  public void onSuccess(Guard guard) {
    success.increment();
  }

  @Override
  public void onFailure(Guard guard, String code) {
    failure.increment();
    failures(code).increment();
  }

  @Override
  public void onIgnoredError(Guard guard, Throwable error) {
    ignoredError.increment();
  }

  @Override
  public void onRejected(Guard guard, CallRejectedException rejection) {
    if (rejection instanceof CircuitOpenException) {
      rejectedBreaker.increment();
    } else if (rejection instanceof BulkheadFullException && rejectedBulkhead != null) {
      rejectedBulkhead.increment();
    } else {
      rejectedRateLimit.increment();
    }
  }

  @Override
  public void onBucketEmpty(Guard guard, long waitNanos, boolean admitted) {
    rateLimitHits.increment();
    if (admitted) {
      rateLimitWait.record(waitNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void onDownstreamPause(Guard guard, long untilNanos) {
    downstreamPauses.increment();
  }

  private Counter failures(String code) {
    Counter counter = failuresByCode.get(code);
    return counter != null ? counter : newFailures(code);
  }

  /**
   * Registers the counter of a code seen for the first time; rare, so a lock is fine. The codes
   * arrive as the breaker counts them, at most {@link FailureCodes#MAX_DISTINCT} per breaker, so
   * the series stay bounded and show what the actuator's {@code failureCodes} shows.
   */
  private synchronized Counter newFailures(String code) {
    return failuresByCode.computeIfAbsent(code, this::failureCounter);
  }

  private Counter call(String outcome) {
    return Counter.builder(CALLS)
        .description("Calls through the endpoint's guard, by outcome")
        .tag("endpoint", endpoint)
        .tag("outcome", outcome)
        .register(registry);
  }

  private Counter failureCounter(String code) {
    return Counter.builder(FAILURES)
        .description(
            "Calls that counted as failures against the endpoint's breaker, by failure code")
        .tag("endpoint", endpoint)
        .tag("code", code)
        .register(registry);
  }
}
