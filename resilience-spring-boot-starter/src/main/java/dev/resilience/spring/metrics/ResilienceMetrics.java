package dev.resilience.spring.metrics;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Guard;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes the state and the outcomes of every guard, breaker and bucket of a {@link
 * ResilienceRegistry} as Micrometer meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code resilience.breaker.state} {@code {breaker}} ({@code resilience_breaker_state}): 0
 *       CLOSED, 1 OPEN, 2 HALF_OPEN, read from the breaker when scraped.
 *   <li>{@code resilience.breaker.transitions} {@code {breaker, from, to}} ({@code
 *       resilience_breaker_transitions_total}): state changes.
 *   <li>{@code resilience.calls} {@code {endpoint, outcome}} ({@code resilience_calls_total}):
 *       {@code success}, {@code failure}, {@code ignored_error}, {@code rejected_breaker}, {@code
 *       rejected_rate_limit}.
 *   <li>{@code resilience.failures} {@code {endpoint, code}} ({@code resilience_failures_total}):
 *       failures by failure code.
 *   <li>{@code resilience.rate.limit.hits} {@code {endpoint}} ({@code
 *       resilience_rate_limit_hits_total}): calls that found the bucket empty.
 *   <li>{@code resilience.rate.limit.wait} {@code {endpoint}} ({@code
 *       resilience_rate_limit_wait_seconds}): waits for a token, in buckets from 1 ms to 5 s.
 *   <li>{@code resilience.rate.limit.available.tokens} {@code {endpoint}} ({@code
 *       resilience_rate_limit_available_tokens}): tokens in the bucket, read when scraped; not for
 *       keyed endpoints, which have a bucket per key.
 *   <li>{@code resilience.bulkhead.in.flight} {@code {endpoint}} ({@code
 *       resilience_bulkhead_in_flight}): calls in flight in the endpoint's bulkhead, read when
 *       scraped; only for endpoints with a bulkhead.
 *   <li>{@code resilience.adaptive.limit} {@code {name}} ({@code resilience_adaptive_limit}),
 *       {@code resilience.adaptive.in.flight} {@code {name}} ({@code
 *       resilience_adaptive_in_flight}) and {@code resilience.adaptive.rtt} {@code {name,
 *       window=short|long}} ({@code resilience_adaptive_rtt_seconds}): an adaptive limit's limit in
 *       force, calls in flight and average round-trip times, read when scraped; only for endpoints
 *       with an adaptive limit, whose rejections count as {@code rejected_bulkhead}.
 *   <li>{@code resilience.rate.limit.keys} {@code {name}} ({@code resilience_rate_limit_keys}):
 *       keys holding state in each keyed endpoint's and inbound rule's buckets, read when scraped.
 *   <li>{@code resilience.rate.limit.key.evictions} {@code {name}} ({@code
 *       resilience_rate_limit_key_evictions_total}): keys evicted while they still counted.
 * </ul>
 *
 * <p>No tag carries a key.
 *
 * <p>Every series of a guard and of its breaker exists as soon as the guard is bound (or as soon as
 * this binder is bound, for guards bound before), so dashboards and alerts see zeros rather than
 * gaps. Each guard gets one listener holding its meters, so a call increments counters it already
 * holds and never looks a meter up.
 *
 * <p>Binding the same {@link MeterRegistry} twice has no effect; binding another one publishes the
 * same meters there too.
 */
public final class ResilienceMetrics implements MeterBinder {

  private final ResilienceRegistry registry;
  private final Map<MeterRegistry, Boolean> bound =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** Creates the binder of the guards, breakers and buckets of {@code registry}. */
  public ResilienceMetrics(ResilienceRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Registers the meters of every guard and every set of buckets per key created so far and of each
   * one created later, and of every breaker created so far.
   */
  @Override
  public void bindTo(MeterRegistry meterRegistry) {
    if (bound.putIfAbsent(meterRegistry, Boolean.TRUE) != null) {
      return;
    }
    Binding binding = new Binding(meterRegistry);
    registry.circuitBreakers().values().forEach(binding::bindBreaker);
    registry.observeGuards(binding::bindGuard);
    registry.observeKeyedRateLimiters(binding::bindKeyed);
  }

  /** The meters published to one {@link MeterRegistry}. */
  private static final class Binding {

    private final MeterRegistry meterRegistry;
    // observeGuards may deliver a guard twice when it is bound while we subscribe, and breakers are
    // shared by endpoints: each must get exactly one listener, or its events would count twice.
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();
    private final Set<String> breakers = ConcurrentHashMap.newKeySet();
    private final Set<String> keyed = ConcurrentHashMap.newKeySet();

    Binding(MeterRegistry meterRegistry) {
      this.meterRegistry = meterRegistry;
    }

    void bindGuard(Guard guard) {
      bindBreaker(guard.breaker());
      if (endpoints.add(guard.endpoint())) {
        guard.addListener(new EndpointMeters(guard, meterRegistry));
      }
    }

    void bindKeyed(KeyedRateLimiter limiter) {
      if (keyed.add(limiter.name())) {
        KeyedLimiterMeters.register(limiter, meterRegistry);
      }
    }

    void bindBreaker(CircuitBreaker breaker) {
      if (breakers.add(breaker.name())) {
        breaker.addListener(new BreakerMeters(breaker, meterRegistry));
      }
    }
  }
}
