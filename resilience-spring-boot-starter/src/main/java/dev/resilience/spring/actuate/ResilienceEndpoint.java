package dev.resilience.spring.actuate;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitBreakerSnapshot;
import dev.resilience.core.Guard;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code resilience} actuator endpoint: every breaker and every endpoint's bucket known to the
 * {@link ResilienceRegistry}, and operator control of the breakers.
 *
 * <ul>
 *   <li>{@code GET /actuator/resilience}: {@code {"breakers": {...}, "rateLimiters": {...}}}, both
 *       keyed by name in alphabetical order.
 *   <li>{@code GET /actuator/resilience/{name}}: {@code {"breaker": {...}}} and/or {@code
 *       {"rateLimiter": {...}}} for that name (a breaker and an endpoint may share a name); 404 if
 *       it names neither.
 *   <li>{@code POST /actuator/resilience/{breaker}} with {@code {"action": "open"|"close"|"reset"}}:
 *       forces the breaker and answers {@code {"breaker": {...}}} as it is afterwards; 400 for
 *       another action, 404 for an unknown breaker.
 * </ul>
 *
 * <p>Durations are whole milliseconds in fields ending in {@code Ms}; {@code since} is the ISO-8601
 * UTC instant the breaker entered its state, to the millisecond. The breakers measure time with the
 * registry's monotonic ticker, so {@code since} is the wall clock now minus the time in state.
 */
@Endpoint(id = "resilience")
public class ResilienceEndpoint {

  /** The actions {@link #force} accepts, in the order they are listed to a caller who erred. */
  private static final List<String> ACTIONS = List.of("open", "close", "reset");

  private final ResilienceRegistry registry;
  private final Clock clock;

  /** Creates the endpoint over {@code registry}, dating states by the system clock in UTC. */
  public ResilienceEndpoint(ResilienceRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /**
   * Creates the endpoint over {@code registry}.
   *
   * @param clock the wall clock that dates {@code since}; tests pass a fixed one
   */
  public ResilienceEndpoint(ResilienceRegistry registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Returns every breaker and every endpoint's bucket, each keyed by name. */
  @ReadOperation
  public Map<String, Object> all() {
    SortedMap<String, Guard> guards = registry.guards();
    Map<String, List<String>> endpointsByBreaker = endpointsByBreaker(guards);
    Map<String, Object> breakers = new LinkedHashMap<>();
    registry
        .circuitBreakers()
        .forEach((name, breaker) -> breakers.put(name, describe(breaker, endpointsByBreaker)));
    Map<String, Object> rateLimiters = new LinkedHashMap<>();
    registry
        .rateLimiters()
        .forEach((endpoint, limiter) -> rateLimiters.put(endpoint, describe(limiter, guards.get(endpoint))));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("breakers", breakers);
    all.put("rateLimiters", rateLimiters);
    return all;
  }

  /**
   * Returns the breaker and/or the endpoint's bucket of this name.
   *
   * @return {@code {"breaker": ...}}, {@code {"rateLimiter": ...}} or both; 404 if neither exists
   */
  @ReadOperation
  public WebEndpointResponse<Map<String, Object>> named(@Selector String name) {
    CircuitBreaker breaker = registry.findCircuitBreaker(name);
    RateLimiter limiter = registry.findRateLimiter(name);
    if (breaker == null && limiter == null) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    SortedMap<String, Guard> guards = registry.guards();
    Map<String, Object> found = new LinkedHashMap<>();
    if (breaker != null) {
      found.put("breaker", describe(breaker, endpointsByBreaker(guards)));
    }
    if (limiter != null) {
      found.put("rateLimiter", describe(limiter, guards.get(name)));
    }
    return new WebEndpointResponse<>(found);
  }

  /**
   * Forces a breaker: {@code open} holds it OPEN (no probes) until {@code close} or {@code reset};
   * {@code close} makes it CLOSED keeping the failures in its window; {@code reset} makes it CLOSED
   * with an empty window.
   *
   * @param name the breaker
   * @param action {@code open}, {@code close} or {@code reset}
   * @return {@code {"breaker": ...}} after the action; 400 naming the allowed actions for another
   *     action; 404 if no breaker has this name
   */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> force(@Selector String name, String action) {
    CircuitBreaker breaker = registry.findCircuitBreaker(name);
    if (breaker == null) {
      return new WebEndpointResponse<>(
          Map.of("message", "No circuit breaker is named '" + name + "'"), WebEndpointResponse.STATUS_NOT_FOUND);
    }
    switch (action) {
      case "open" -> breaker.forceOpen();
      case "close" -> breaker.forceClose();
      case "reset" -> breaker.reset();
      default -> {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put(
            "message", "Unknown action '" + action + "': the action must be one of " + String.join(", ", ACTIONS));
        error.put("allowedActions", ACTIONS);
        return new WebEndpointResponse<>(error, WebEndpointResponse.STATUS_BAD_REQUEST);
      }
    }
    return new WebEndpointResponse<>(Map.of("breaker", describe(breaker, endpointsByBreaker(registry.guards()))));
  }

  private Map<String, Object> describe(CircuitBreaker breaker, Map<String, List<String>> endpointsByBreaker) {
    CircuitBreakerSnapshot snapshot = breaker.snapshot();
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("state", snapshot.state().name());
    description.put("forced", snapshot.forced());
    description.put("since", clock.instant().minus(snapshot.timeInState()).truncatedTo(ChronoUnit.MILLIS).toString());
    description.put("failuresInWindow", snapshot.failuresInWindow());
    description.put("callsInWindow", snapshot.callsInWindow());
    description.put("failureCodes", snapshot.failureCodes());
    description.put("retryAfterMs", snapshot.retryAfter().toMillis());
    description.put("endpoints", endpointsByBreaker.getOrDefault(breaker.name(), List.of()));
    description.put("config", describe(breaker.config()));
    return description;
  }

  private static Map<String, Object> describe(CircuitBreakerConfig config) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("windowMs", config.window().toMillis());
    description.put("failThreshold", config.failThreshold());
    description.put("cooldownMs", config.cooldown().toMillis());
    description.put("minDwellMs", config.minDwell().toMillis());
    description.put("probeCount", config.probeCount());
    description.put("minimumCalls", config.minimumCalls());
    Double failureRateThreshold = config.failureRateThreshold();
    if (failureRateThreshold != null) {
      description.put("failureRateThreshold", failureRateThreshold);
    }
    Duration slowCallDuration = config.slowCallDuration();
    if (slowCallDuration != null) {
      description.put("slowCallDurationMs", slowCallDuration.toMillis());
    }
    description.put("weights", config.weights());
    return description;
  }

  /** Describes a bucket; {@code guard} is null for a bucket created outside any guard. */
  private static Map<String, Object> describe(RateLimiter limiter, @Nullable Guard guard) {
    RateLimiterConfig config = limiter.config();
    Map<String, Object> configDescription = new LinkedHashMap<>();
    configDescription.put("capacityPerSecond", config.capacityPerSecond());
    configDescription.put("burst", config.burst());
    configDescription.put("maxWaitMs", config.maxWait().toMillis());
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("availableTokens", limiter.availableTokens());
    if (guard != null) {
      description.put("breaker", guard.breaker().name());
    }
    description.put("allowlist", guard != null && guard.allowlisted());
    description.put("config", configDescription);
    return description;
  }

  /** Groups the endpoint names by breaker; the guards come sorted, so each list is sorted. */
  private static Map<String, List<String>> endpointsByBreaker(SortedMap<String, Guard> guards) {
    Map<String, List<String>> endpoints = new TreeMap<>();
    guards.forEach(
        (endpoint, guard) -> endpoints.computeIfAbsent(guard.breaker().name(), breaker -> new ArrayList<>()).add(endpoint));
    return endpoints;
  }
}
