package dev.resilience.spring.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitBreakerSnapshot;
import dev.resilience.core.CircuitState;
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
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
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
 *       keyed by name in alphabetical order ({@link ResilienceDescriptor}).
 *   <li>{@code GET /actuator/resilience/{name}}: {@code {"breaker": {...}}} and/or {@code
 *       {"rateLimiter": {...}}} for that name (a breaker and an endpoint may share a name) ({@link
 *       NamedDescriptor}); an empty 404 if it names neither.
 *   <li>{@code POST /actuator/resilience/{breaker}} with {@code {"action":
 *       "open"|"close"|"reset"}}: forces the breaker and answers {@code {"breaker": {...}}} as it
 *       is afterwards; 400 for a missing or another action, 404 for an unknown breaker, each with
 *       an {@link ErrorDescriptor}.
 * </ul>
 *
 * <p>Durations are whole milliseconds in fields ending in {@code Ms}; {@code since} is the ISO-8601
 * UTC instant the breaker entered its state, to the millisecond. The breakers measure time with the
 * registry's monotonic ticker, so {@code since} is the wall clock now minus the time in state.
 *
 * <p>Every answer is a record implementing {@link OperationResponseBody}, so Spring Boot writes it
 * with the actuator's own JSON mapper: the application's Jackson settings (a naming strategy, say)
 * do not change what operators and their scripts read.
 */
@Endpoint(id = "resilience")
public class ResilienceEndpoint {

  /** The actions {@link #force} accepts, in the order they are listed to a caller who erred. */
  private static final List<String> ACTIONS = List.of("open", "close", "reset");

  /**
   * How many characters of a caller's unknown action or breaker name an error answer repeats:
   * enough to recognise a typo, while a megabyte sent by mistake or malice does not come back as a
   * megabyte.
   */
  private static final int ECHO_LIMIT = 64;

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

  /**
   * Returns every breaker and every endpoint's bucket, each keyed by name in alphabetical order.
   */
  @ReadOperation
  public ResilienceDescriptor all() {
    SortedMap<String, Guard> guards = registry.guards();
    Map<String, List<String>> endpointsByBreaker = endpointsByBreaker(guards);
    Map<String, BreakerDescriptor> breakers = new LinkedHashMap<>();
    registry
        .circuitBreakers()
        .forEach((name, breaker) -> breakers.put(name, describe(breaker, endpointsByBreaker)));
    Map<String, RateLimiterDescriptor> rateLimiters = new LinkedHashMap<>();
    registry
        .rateLimiters()
        .forEach(
            (endpoint, limiter) ->
                rateLimiters.put(endpoint, describe(limiter, guards.get(endpoint))));
    return new ResilienceDescriptor(breakers, rateLimiters);
  }

  /**
   * Returns the breaker and/or the endpoint's bucket of this name.
   *
   * @return {@code {"breaker": ...}}, {@code {"rateLimiter": ...}} or both; a 404 without a body if
   *     neither exists
   */
  @ReadOperation
  public WebEndpointResponse<NamedDescriptor> named(@Selector String name) {
    CircuitBreaker breaker = registry.findCircuitBreaker(name);
    RateLimiter limiter = registry.findRateLimiter(name);
    if (breaker == null && limiter == null) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    SortedMap<String, Guard> guards = registry.guards();
    return new WebEndpointResponse<>(
        new NamedDescriptor(
            breaker == null ? null : describe(breaker, endpointsByBreaker(guards)),
            limiter == null ? null : describe(limiter, guards.get(name))));
  }

  /**
   * Forces a breaker: {@code open} holds it OPEN (no probes) until {@code close} or {@code reset};
   * {@code close} makes it CLOSED keeping the failures in its window; {@code reset} makes it CLOSED
   * with an empty window.
   *
   * @param name the breaker
   * @param action {@code open}, {@code close} or {@code reset}; null when the body has none, which
   *     is answered here (rather than by Spring Boot's bare 400) so the caller learns what to send
   * @return a {@link NamedDescriptor} with the breaker after the action; an {@link ErrorDescriptor}
   *     with 400 naming the allowed actions for a missing or another action, or with 404 if no
   *     breaker has this name
   */
  @WriteOperation
  public WebEndpointResponse<OperationResponseBody> force(
      @Selector String name, @Nullable String action) {
    CircuitBreaker breaker = registry.findCircuitBreaker(name);
    if (breaker == null) {
      return new WebEndpointResponse<>(
          new ErrorDescriptor("No circuit breaker is named " + echo(name), null),
          WebEndpointResponse.STATUS_NOT_FOUND);
    }
    if (action == null) {
      return badRequest(
          "No action: the body must be {\"action\": \"" + String.join("\"|\"", ACTIONS) + "\"}");
    }
    switch (action) {
      case "open" -> breaker.forceOpen();
      case "close" -> breaker.forceClose();
      case "reset" -> breaker.reset();
      default -> {
        return badRequest(
            "Unknown action "
                + echo(action)
                + ": the action must be one of "
                + String.join(", ", ACTIONS));
      }
    }
    return new WebEndpointResponse<>(
        new NamedDescriptor(describe(breaker, endpointsByBreaker(registry.guards())), null));
  }

  private static WebEndpointResponse<OperationResponseBody> badRequest(String message) {
    return new WebEndpointResponse<>(
        new ErrorDescriptor(message, ACTIONS), WebEndpointResponse.STATUS_BAD_REQUEST);
  }

  /**
   * Quotes what a caller sent for an error message, cut to {@link #ECHO_LIMIT} characters (never
   * inside a surrogate pair) with an ellipsis and the full length when longer.
   */
  private static String echo(String sent) {
    if (sent.length() <= ECHO_LIMIT) {
      return "'" + sent + "'";
    }
    int end = Character.isHighSurrogate(sent.charAt(ECHO_LIMIT - 1)) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
    return "'" + sent.substring(0, end) + "…' (" + sent.length() + " characters)";
  }

  private BreakerDescriptor describe(
      CircuitBreaker breaker, Map<String, List<String>> endpointsByBreaker) {
    CircuitBreakerSnapshot snapshot = breaker.snapshot();
    return new BreakerDescriptor(
        snapshot.state(),
        snapshot.forced(),
        clock.instant().minus(snapshot.timeInState()).truncatedTo(ChronoUnit.MILLIS).toString(),
        snapshot.failuresInWindow(),
        snapshot.callsInWindow(),
        snapshot.failureCodes(),
        snapshot.retryAfter().toMillis(),
        endpointsByBreaker.getOrDefault(breaker.name(), List.of()),
        describe(breaker.config()));
  }

  private static BreakerConfigDescriptor describe(CircuitBreakerConfig config) {
    Duration slowCallDuration = config.slowCallDuration();
    return new BreakerConfigDescriptor(
        config.window().toMillis(),
        config.failThreshold(),
        config.cooldown().toMillis(),
        config.minDwell().toMillis(),
        config.probeCount(),
        config.minimumCalls(),
        config.failureRateThreshold(),
        slowCallDuration == null ? null : slowCallDuration.toMillis(),
        config.weights());
  }

  /** Describes a bucket; {@code guard} is null for a bucket created outside any guard. */
  private static RateLimiterDescriptor describe(RateLimiter limiter, @Nullable Guard guard) {
    RateLimiterConfig config = limiter.config();
    return new RateLimiterDescriptor(
        limiter.availableTokens(),
        guard == null ? null : guard.breaker().name(),
        guard != null && guard.allowlisted(),
        new RateLimiterConfigDescriptor(
            config.capacityPerSecond(), config.burst(), config.maxWait().toMillis()));
  }

  /** Groups the endpoint names by breaker; the guards come sorted, so each list is sorted. */
  private static Map<String, List<String>> endpointsByBreaker(SortedMap<String, Guard> guards) {
    Map<String, List<String>> endpoints = new TreeMap<>();
    guards.forEach(
        (endpoint, guard) ->
            endpoints
                .computeIfAbsent(guard.breaker().name(), breaker -> new ArrayList<>())
                .add(endpoint));
    return endpoints;
  }

  /**
   * The answer to {@code GET /actuator/resilience}.
   *
   * @param breakers every breaker, by name in alphabetical order
   * @param rateLimiters every endpoint's bucket, by endpoint name in alphabetical order
   */
  public record ResilienceDescriptor(
      Map<String, BreakerDescriptor> breakers, Map<String, RateLimiterDescriptor> rateLimiters)
      implements OperationResponseBody {}

  /**
   * The answer to {@code GET /actuator/resilience/{name}} and to a successful {@code POST}: what
   * carries that name. Absent parts are left out of the JSON, not written as null.
   *
   * @param breaker the breaker of that name, or null if there is none
   * @param rateLimiter the bucket of the endpoint of that name, or null if there is none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NamedDescriptor(
      @Nullable BreakerDescriptor breaker, @Nullable RateLimiterDescriptor rateLimiter)
      implements OperationResponseBody {}

  /**
   * One breaker as it is now.
   *
   * @param state the state; an OPEN breaker whose cooldown has passed already reads HALF_OPEN
   * @param forced whether an operator forced this state
   * @param since when the breaker entered {@code state}, as an ISO-8601 UTC instant to the
   *     millisecond
   * @param failuresInWindow weighted failures in the sliding window
   * @param callsInWindow calls that completed in the window, failures included
   * @param failureCodes unweighted failures in the window by code, in code order; the core caps the
   *     number of distinct codes and counts the rest under one bucket
   * @param retryAfterMs how long until the breaker may let a probe through; 0 unless OPEN, and one
   *     cooldown while forced OPEN
   * @param endpoints the endpoints guarded by this breaker, in alphabetical order
   * @param config the breaker's configuration
   */
  public record BreakerDescriptor(
      CircuitState state,
      boolean forced,
      String since,
      double failuresInWindow,
      long callsInWindow,
      Map<String, Long> failureCodes,
      long retryAfterMs,
      List<String> endpoints,
      BreakerConfigDescriptor config) {}

  /**
   * A breaker's configuration; the optional settings appear only when set.
   *
   * @param windowMs length of the sliding window
   * @param failThreshold weighted failures in the window that open the breaker
   * @param cooldownMs how long an open breaker rejects before letting probes through
   * @param minDwellMs shortest time the breaker stays in a state before it may open again
   * @param probeCount probe calls let through in HALF_OPEN
   * @param minimumCalls calls the window must hold before the failure rate can open the breaker
   * @param failureRateThreshold percentage of failing calls that opens the breaker, or null if
   *     unset
   * @param slowCallDurationMs duration from which a successful call counts as slow, or null if
   *     unset
   * @param weights weight of each failure code that does not weigh the default 1.0
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BreakerConfigDescriptor(
      long windowMs,
      int failThreshold,
      long cooldownMs,
      long minDwellMs,
      int probeCount,
      int minimumCalls,
      @Nullable Double failureRateThreshold,
      @Nullable Long slowCallDurationMs,
      Map<String, Double> weights) {}

  /**
   * One endpoint's bucket as it is now.
   *
   * @param availableTokens tokens a call could take now, fractions included
   * @param breaker the breaker guarding the endpoint, or null (left out) for a bucket created
   *     outside any guard
   * @param allowlist whether the endpoint's calls pass an open breaker
   * @param config the bucket's configuration
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RateLimiterDescriptor(
      double availableTokens,
      @Nullable String breaker,
      boolean allowlist,
      RateLimiterConfigDescriptor config) {}

  /**
   * A bucket's configuration.
   *
   * @param capacityPerSecond tokens added per second
   * @param burst most tokens the bucket holds
   * @param maxWaitMs longest a call waits for a token before it is rejected
   */
  public record RateLimiterConfigDescriptor(double capacityPerSecond, int burst, long maxWaitMs) {}

  /**
   * Why a {@code POST} was refused.
   *
   * @param message what was wrong and how to fix it; an unknown action or breaker name is repeated
   *     up to its first 64 characters, followed by its length when longer
   * @param allowedActions the actions the endpoint accepts, for a bad action; null (left out) for
   *     an unknown breaker
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ErrorDescriptor(String message, @Nullable List<String> allowedActions)
      implements OperationResponseBody {}
}
