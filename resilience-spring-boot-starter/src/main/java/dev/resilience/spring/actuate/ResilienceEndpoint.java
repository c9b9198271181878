package dev.resilience.spring.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitBreakerSnapshot;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.actuate.OperatorActions.Force;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.autoconfigure.RateLimitBackend;
import dev.resilience.spring.events.ResilienceEvent;
import dev.resilience.spring.events.ResilienceEvents;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code resilience} actuator endpoint: every breaker, every endpoint's bucket and every
 * inbound rule known to the {@link ResilienceRegistry}, one key's buckets, and operator control of
 * the breakers and keys.
 *
 * <ul>
 *   <li>{@code GET /actuator/resilience}: {@code {"breakers": {...}, "rateLimiters": {...},
 *       "inboundRules": {...}, "rateLimitBackend": {...}}}, each keyed by name in alphabetical
 *       order ({@link ResilienceDescriptor}). A keyed endpoint is listed under {@code rateLimiters}
 *       with its key counts instead of {@code availableTokens}.
 *   <li>{@code GET /actuator/resilience/{name}}: {@code {"breaker": {...}}}, {@code {"rateLimiter":
 *       {...}}} and/or {@code {"inboundRule": {...}}} for that name (a breaker and an endpoint or
 *       rule may share a name) ({@link NamedDescriptor}); an empty 404 if it names none.
 *   <li>{@code GET /actuator/resilience/events}: the last 256 events (breaker transitions, operator
 *       actions, limit changes, backend switches), newest first ({@link EventsDescriptor}). {@code
 *       events} is a reserved name: no breaker or endpoint takes it.
 *   <li>{@code GET /actuator/resilience/keys/{name}/{key}}: one key's buckets in a keyed endpoint
 *       or inbound rule ({@link KeyDescriptor}); a key that holds no state is full. {@code DELETE}
 *       on the same path forgets the key, so that its buckets are full again ({@link
 *       KeyResetDescriptor}). 404 with an {@link ErrorDescriptor} for an unknown name.
 *   <li>{@code POST /actuator/resilience/{breaker}} with {@code {"action":
 *       "open"|"close"|"reset"}}: forces the breaker and answers {@code {"breaker": {...}}} as it
 *       is afterwards; 400 for a missing or another action, 404 for an unknown breaker, each with
 *       an {@link ErrorDescriptor}.
 *   <li>{@code POST /actuator/resilience/{endpoint}} with {@code {"action": "limit",
 *       "capacityPerSecond": 2.0, "burst": 4}} changes the endpoint's limits at once, keeping its
 *       tokens (at most the new burst), every key's for a keyed endpoint; {@code {"action":
 *       "restore"}} returns to the configured ones. Answers {@code {"rateLimiter": {...}}} as it is
 *       afterwards; 400 for a missing or invalid value, 404 for an unknown endpoint, 409 when the
 *       buckets live in a store shared with other instances (Redis), whose limits must be changed
 *       in every instance's configuration. A change does not outlive a restart.
 *   <li>{@code POST /actuator/resilience/{rule}} with {@code {"action": "limit", "limits": "10/1s,
 *       500/1h"}} replaces an inbound rule's default limits (tiers keep theirs) at once, each key
 *       keeping its tokens (at most each new quota), and its headers and 429 answers show them;
 *       {@code {"action": "restore"}} returns to the configured ones. Answers {@code
 *       {"inboundRule": {...}}} as it is afterwards; 400, 404 and 409 as for an endpoint. A name
 *       that is both an endpoint and a rule takes {@code capacityPerSecond} and {@code burst} for
 *       the endpoint, {@code limits} for the rule, and {@code restore} restores both.
 *   <li>{@code POST /actuator/resilience} with {@code {"action": "open-all"|"close-all"|
 *       "reset-all"}}: the kill switch, forcing every breaker at once; answers as {@code GET}.
 * </ul>
 *
 * <p>The write operations are off unless the application opts in, with {@code
 * management.endpoint.resilience.access: unrestricted}: whoever reaches them can stop every call
 * the application makes. Every one of them goes through {@link OperatorActions}, which logs it with
 * the caller's principal when the application authenticates it.
 *
 * <p>Durations are whole milliseconds in fields ending in {@code Ms}; {@code since} is the ISO-8601
 * UTC instant the breaker entered its state, to the millisecond. The breakers measure time with the
 * registry's monotonic ticker, so {@code since} is the wall clock now minus the time in state.
 *
 * <p>Every answer is a record implementing {@link OperationResponseBody}, so Spring Boot writes it
 * with the actuator's own JSON mapper: the application's Jackson settings (a naming strategy, say)
 * do not change what operators and their scripts read.
 */
@Endpoint(id = "resilience", defaultAccess = Access.READ_ONLY)
public class ResilienceEndpoint {

  /** The actions {@link #act} accepts, in the order they are listed to a caller who erred. */
  private static final List<String> ACTIONS = List.of("open", "close", "reset", "limit", "restore");

  /** The actions {@link #actOnAll} accepts. */
  private static final List<String> GLOBAL_ACTIONS = List.of("open-all", "close-all", "reset-all");

  /** What a {@code limit} action's body must be, for a caller who sent something else. */
  private static final String LIMIT_BODY =
      "{\"action\": \"limit\", \"capacityPerSecond\": <tokens per second, greater than 0 and at"
          + " most 1e9>, \"burst\": <a whole number, at least 1>}";

  /**
   * What a rule's {@code limit} action's body must be. {@code limits} is one string, not a JSON
   * array: Spring Boot reads an actuator operation's body as a map of strings, and refuses an array
   * with a bare 400 before any operation runs.
   */
  private static final String RULE_LIMIT_BODY =
      "{\"action\": \"limit\", \"limits\": \"<quota>/<window>, ...\"}, such as \"10/1s, 500/1h\""
          + " (1 to "
          + Limits.MAX_LIMITS
          + " limits, one per window; a quota is a whole number of at least 1, a window a whole"
          + " number of milliseconds of at least 1, or of ms, s, m, h or d)";

  /** One limit as an operator writes it: {@code 10/1s}, {@code 500/1h}, {@code 20/1500}. */
  private static final Pattern LIMIT = Pattern.compile("\\s*([^/\\s]+)\\s*/\\s*([^/\\s]+)\\s*");

  private static final Pattern WINDOW = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)?");

  /** The first segment of the path of one key's buckets: {@code /actuator/resilience/keys/...}. */
  private static final String KEYS = "keys";

  /**
   * The path of the events log, {@code /actuator/resilience/events}: Spring Boot maps one segment
   * after the endpoint's path to the {@code {name}} selector, so the read by name answers it.
   */
  private static final String EVENTS = "events";

  /** The key an inbound rule's default limits are read for: a key no tier claims. */
  private static final String ANONYMOUS = "anonymous";

  /**
   * How many characters of a caller's unknown action or breaker name an error answer repeats:
   * enough to recognise a typo, while a megabyte sent by mistake or malice does not come back as a
   * megabyte.
   */
  private static final int ECHO_LIMIT = 64;

  private final ResilienceRegistry registry;
  private final Clock clock;
  private final @Nullable RateLimitBackend backend;
  private final @Nullable ResilienceEvents events;
  private final OperatorActions actions;
  private final @Nullable InboundRuleLimits rules;

  /** Creates the endpoint over {@code registry}, dating states by the system clock in UTC. */
  public ResilienceEndpoint(ResilienceRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /**
   * Creates the endpoint over {@code registry}, whose buckets live in {@code backend} (null: in
   * this instance), dating states by the system clock in UTC.
   */
  public ResilienceEndpoint(ResilienceRegistry registry, @Nullable RateLimitBackend backend) {
    this(registry, Clock.systemUTC(), backend, null, OperatorActions.unheard(registry));
  }

  /**
   * Creates the endpoint over {@code registry}.
   *
   * @param clock the wall clock that dates {@code since}; tests pass a fixed one
   */
  public ResilienceEndpoint(ResilienceRegistry registry, Clock clock) {
    this(registry, clock, null, null, OperatorActions.unheard(registry));
  }

  /**
   * Creates the endpoint over {@code registry}, dating states by the system clock in UTC.
   *
   * @param backend where the buckets live; null: in this instance
   * @param events what {@code /events} answers from; null: an empty log
   * @param actions performs, logs and counts operators' actions
   */
  public ResilienceEndpoint(
      ResilienceRegistry registry,
      @Nullable RateLimitBackend backend,
      @Nullable ResilienceEvents events,
      OperatorActions actions) {
    this(registry, Clock.systemUTC(), backend, events, actions, null);
  }

  /**
   * Creates the endpoint over {@code registry}, dating states by the system clock in UTC.
   *
   * @param backend where the buckets live; null: in this instance
   * @param events what {@code /events} answers from; null: an empty log
   * @param actions performs, logs and counts operators' actions
   * @param rules the inbound rules' limits, which {@code limit} and {@code restore} change; null
   *     where the application has no inbound rules
   */
  public ResilienceEndpoint(
      ResilienceRegistry registry,
      @Nullable RateLimitBackend backend,
      @Nullable ResilienceEvents events,
      OperatorActions actions,
      @Nullable InboundRuleLimits rules) {
    this(registry, Clock.systemUTC(), backend, events, actions, rules);
  }

  private ResilienceEndpoint(
      ResilienceRegistry registry,
      Clock clock,
      @Nullable RateLimitBackend backend,
      @Nullable ResilienceEvents events,
      OperatorActions actions) {
    this(registry, clock, backend, events, actions, null);
  }

  private ResilienceEndpoint(
      ResilienceRegistry registry,
      Clock clock,
      @Nullable RateLimitBackend backend,
      @Nullable ResilienceEvents events,
      OperatorActions actions,
      @Nullable InboundRuleLimits rules) {
    this.rules = rules;
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backend = backend;
    this.events = events;
    this.actions = Objects.requireNonNull(actions, "actions");
  }

  /**
   * Returns every breaker, every endpoint's bucket (or buckets per key) and every inbound rule,
   * each keyed by name in alphabetical order.
   */
  @ReadOperation
  public ResilienceDescriptor all() {
    SortedMap<String, Guard> guards = registry.guards();
    Map<String, List<String>> endpointsByBreaker = endpointsByBreaker(guards);
    Map<String, BreakerDescriptor> breakers = new LinkedHashMap<>();
    registry
        .circuitBreakers()
        .forEach((name, breaker) -> breakers.put(name, describe(breaker, endpointsByBreaker)));
    Map<String, RateLimiterDescriptor> rateLimiters = new TreeMap<>();
    registry
        .rateLimiters()
        .forEach(
            (endpoint, limiter) ->
                rateLimiters.put(endpoint, describe(limiter, guards.get(endpoint))));
    guards.forEach(
        (endpoint, guard) -> {
          KeyedRateLimiter keyed = guard.keyedRateLimiter();
          if (keyed != null) {
            rateLimiters.put(endpoint, describe(keyed, guard));
          }
        });
    Map<String, InboundRuleDescriptor> inboundRules = new TreeMap<>();
    registry
        .keyedRateLimiters()
        .forEach(
            (name, limiter) -> {
              if (isInboundRule(limiter, guards)) {
                inboundRules.put(name, describeRule(limiter));
              }
            });
    if (rules != null) {
      for (String rule : rules.ruleNames()) {
        if (!rules.hasLimits(rule)) {
          inboundRules.put(rule, describeAdaptiveOnlyRule(rule));
        }
      }
    }
    return new ResilienceDescriptor(breakers, rateLimiters, inboundRules, describeBackend());
  }

  private BackendDescriptor describeBackend() {
    if (backend == null) {
      return new BackendDescriptor("local", false, null, null, null, null, null);
    }
    return new BackendDescriptor(
        backend.name(),
        !backend.isUp(),
        backend.failurePolicy(),
        backend.timeout().toMillis(),
        backend.lease(),
        backend.errors(),
        backend.lastError());
  }

  /**
   * Answers {@code GET /actuator/resilience/{name}}: the events log for {@code events}, else what
   * carries that name ({@link #named}).
   */
  @ReadOperation
  public WebEndpointResponse<? extends OperationResponseBody> read(@Selector String name) {
    if (EVENTS.equals(name)) {
      return new WebEndpointResponse<>(events());
    }
    return named(name);
  }

  /**
   * Returns the last {@value ResilienceEvents#CAPACITY} events, newest first, at {@code
   * /actuator/resilience/events}.
   */
  public EventsDescriptor events() {
    if (events == null) {
      return new EventsDescriptor(List.of());
    }
    List<EventDescriptor> described = new ArrayList<>(ResilienceEvents.CAPACITY);
    for (ResilienceEvent event : events.recent()) {
      described.add(
          new EventDescriptor(
              event.sequence(),
              event.time().truncatedTo(ChronoUnit.MILLIS).toString(),
              event.kind().id(),
              event.name(),
              event.from(),
              event.to(),
              event.detail()));
    }
    return new EventsDescriptor(described);
  }

  /**
   * Returns the breaker, the endpoint's bucket and/or the inbound rule of this name.
   *
   * @return {@code {"breaker": ...}}, {@code {"rateLimiter": ...}}, {@code {"inboundRule": ...}} or
   *     several of them; a 404 without a body if none exists
   */
  public WebEndpointResponse<NamedDescriptor> named(String name) {
    SortedMap<String, Guard> guards = registry.guards();
    CircuitBreaker breaker = registry.findCircuitBreaker(name);
    Guard guard = guards.get(name);
    KeyedRateLimiter keyed = registry.findKeyedRateLimiter(name);
    RateLimiterDescriptor rateLimiter = null;
    InboundRuleDescriptor inboundRule = null;
    RateLimiter limiter = registry.findRateLimiter(name);
    if (limiter != null) {
      rateLimiter = describe(limiter, guard);
    } else if (guard != null && guard.keyedRateLimiter() != null) {
      rateLimiter = describe(guard.keyedRateLimiter(), guard);
    }
    if (keyed != null && isInboundRule(keyed, guards)) {
      inboundRule = describeRule(keyed);
    } else if (isRule(name) && !Objects.requireNonNull(rules).hasLimits(name)) {
      inboundRule = describeAdaptiveOnlyRule(name);
    }
    if (breaker == null && rateLimiter == null && inboundRule == null) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    return new WebEndpointResponse<>(
        new NamedDescriptor(
            breaker == null ? null : describe(breaker, endpointsByBreaker(guards)),
            rateLimiter,
            inboundRule));
  }

  /**
   * Returns one key's buckets in the keyed endpoint or inbound rule {@code name}, at {@code
   * /actuator/resilience/keys/{name}/{key}}. Reading a key changes nothing: a key that holds no
   * state is answered as full, and is not made to hold any.
   *
   * @param keys must be {@code keys}: the path's first segment, which Spring Boot's endpoints can
   *     only read as a selector
   * @param key the key, as it was given to the limiter (URL-encoded in the path); a key with a
   *     {@code /} is written as it is, its parts as path segments
   * @return a {@link KeyDescriptor}, or an {@link ErrorDescriptor} with 404 if {@code keys} is not
   *     {@code keys} or no keyed endpoint or rule is named {@code name}
   */
  @ReadOperation
  public WebEndpointResponse<OperationResponseBody> key(
      @Selector String keys,
      @Selector String name,
      @Selector(match = Selector.Match.ALL_REMAINING) String[] key) {
    return onKey(keys, name, key, ResilienceEndpoint::describe);
  }

  /**
   * Forgets one key of the keyed endpoint or inbound rule {@code name}, at {@code DELETE
   * /actuator/resilience/keys/{name}/{key}}: its buckets are full again, which unblocks a client
   * that used them up. The key starts over under its limits on its next call. An operator action:
   * logged (without the key itself) and counted as {@code reset-key} by {@link OperatorActions}.
   *
   * @param principal who asks, when the application authenticates operators
   * @return a {@link KeyResetDescriptor} saying whether the key held state, or an {@link
   *     ErrorDescriptor} with 404 as for {@link #key}
   */
  @DeleteOperation
  public WebEndpointResponse<OperationResponseBody> resetKey(
      @Selector String keys,
      @Selector String name,
      @Selector(match = Selector.Match.ALL_REMAINING) String[] key,
      @Nullable Principal principal) {
    String who = principal == null ? null : principal.getName();
    return onKey(
        keys,
        name,
        key,
        (limiter, joined) ->
            new KeyResetDescriptor(limiter.name(), joined, actions.resetKey(limiter, joined, who)));
  }

  /**
   * Answers an operation on one key of {@code name}: 404 for a path that is not {@code keys} or
   * names no keyed endpoint or rule, 400 for no key, else what {@code operation} makes of it.
   */
  private WebEndpointResponse<OperationResponseBody> onKey(
      String keys,
      String name,
      String[] key,
      BiFunction<KeyedRateLimiter, String, OperationResponseBody> operation) {
    KeyedRateLimiter limiter = keyedOrNull(keys, name);
    if (limiter == null) {
      return noKeys(keys, name);
    }
    String joined = String.join("/", key);
    if (joined.isEmpty()) {
      return noKey(name);
    }
    return new WebEndpointResponse<>(operation.apply(limiter, joined));
  }

  private @Nullable KeyedRateLimiter keyedOrNull(String keys, String name) {
    return KEYS.equals(keys) ? registry.findKeyedRateLimiter(name) : null;
  }

  /** No key is named (a key is never empty); {@code name} is a limiter's, so safe to repeat. */
  private static WebEndpointResponse<OperationResponseBody> noKey(String name) {
    return new WebEndpointResponse<>(
        new ErrorDescriptor("Name the key: /actuator/resilience/keys/" + name + "/{key}", null),
        WebEndpointResponse.STATUS_BAD_REQUEST);
  }

  private static WebEndpointResponse<OperationResponseBody> noKeys(String keys, String name) {
    String message =
        KEYS.equals(keys)
            ? "No keyed endpoint or inbound rule is named " + echo(name)
            : "No such path: one key is at /actuator/resilience/keys/{name}/{key}";
    return new WebEndpointResponse<>(
        new ErrorDescriptor(message, null), WebEndpointResponse.STATUS_NOT_FOUND);
  }

  /**
   * Whether {@code limiter} is an inbound rule's: every set of buckets per key that no keyed
   * endpoint owns (rules and keyed endpoints share one namespace).
   */
  private static boolean isInboundRule(KeyedRateLimiter limiter, Map<String, Guard> guards) {
    Guard guard = guards.get(limiter.name());
    return guard == null || guard.keyedRateLimiter() != limiter;
  }

  /**
   * Forces a breaker, or changes an endpoint's or an inbound rule's limits: {@code open} holds the
   * breaker OPEN (no probes) until {@code close} or {@code reset}; {@code close} makes it CLOSED
   * keeping the failures in its window; {@code reset} makes it CLOSED with an empty window. {@code
   * limit} changes the endpoint's rate and burst, or the rule's limits, at once, keeping the
   * tokens; {@code restore} returns to the configured limits.
   *
   * @param name the breaker, or for {@code limit} and {@code restore} the endpoint or rule
   * @param action the action; null when the body has none, which is answered here (rather than by
   *     Spring Boot's bare 400) so the caller learns what to send
   * @param capacityPerSecond for an endpoint's {@code limit}: tokens per second, as sent
   * @param burst for an endpoint's {@code limit}: the most tokens the bucket holds, as sent
   * @param limits for a rule's {@code limit}: {@code <quota>/<window>, ...} as in {@code "10/1s,
   *     500/1h"} (one string: the actuator reads a body's values as strings)
   * @param principal who asks, when the application authenticates operators
   * @return a {@link NamedDescriptor} with the breaker, the endpoint or the rule after the action;
   *     an {@link ErrorDescriptor} with 400 for a missing or another action or a missing or invalid
   *     value, 404 if nothing has this name, 409 for limits shared through a store
   */
  @WriteOperation
  public WebEndpointResponse<OperationResponseBody> act(
      @Selector String name,
      @Nullable String action,
      @Nullable String capacityPerSecond,
      @Nullable String burst,
      @Nullable String limits,
      @Nullable Principal principal) {
    String who = principal == null ? null : principal.getName();
    if ("limit".equals(action) || "restore".equals(action)) {
      boolean endpoint = isEndpoint(name);
      boolean rule = isRule(name);
      if (!endpoint && !rule) {
        return notFound(
            "No endpoint's rate limiter "
                + (rules == null ? "" : "or inbound rule ")
                + "is named "
                + echo(name));
      }
      boolean forEndpoint = capacityPerSecond != null || burst != null;
      if (limits != null && forEndpoint) {
        return badRequest(
            "Send either limits (an inbound rule's: "
                + RULE_LIMIT_BODY
                + ") or capacityPerSecond and burst (an endpoint's), not both",
            null);
      }
      if (action.equals("restore")) {
        if (endpoint) {
          WebEndpointResponse<OperationResponseBody> restored =
              changeLimits(name, action, null, null, who);
          if (!rule || restored.getStatus() != WebEndpointResponse.STATUS_OK) {
            return restored;
          }
        }
        return changeRuleLimits(name, action, null, who);
      }
      if (limits != null && !rule) {
        return badRequest(
            "'" + name + "' is an endpoint, not an inbound rule: the body must be " + LIMIT_BODY,
            null);
      }
      if (forEndpoint && !endpoint) {
        return badRequest(
            (capacityPerSecond != null ? "capacityPerSecond" : "burst")
                + " is for an endpoint's bucket: inbound rule '"
                + name
                + "' takes limits: the body must be "
                + RULE_LIMIT_BODY,
            null);
      }
      if (limits != null || !endpoint) {
        return changeRuleLimits(name, action, limits, who);
      }
      return changeLimits(name, action, capacityPerSecond, burst, who);
    }
    CircuitBreaker breaker = registry.findCircuitBreaker(name);
    if (breaker == null && !isEndpoint(name)) {
      return notFound("No circuit breaker is named " + echo(name));
    }
    if (action == null) {
      return badRequest(
          "No action: the body must be {\"action\": \"" + String.join("\"|\"", ACTIONS) + "\"}",
          ACTIONS);
    }
    Force force = Force.named(action);
    if (force == null) {
      return unknownAction(action, ACTIONS);
    }
    if (breaker == null) {
      return notFound(
          "No circuit breaker is named "
              + echo(name)
              + " (an endpoint is: its limits take \"limit\" or \"restore\")");
    }
    actions.force(breaker, force, who);
    return new WebEndpointResponse<>(
        new NamedDescriptor(describe(breaker, endpointsByBreaker(registry.guards())), null, null));
  }

  private WebEndpointResponse<OperationResponseBody> changeLimits(
      String name,
      String action,
      @Nullable String capacityPerSecond,
      @Nullable String burst,
      @Nullable String principal) {
    if (!isEndpoint(name)) {
      return notFound("No endpoint's rate limiter is named " + echo(name));
    }
    if (backend != null) {
      return sharedLimits(name, "resilience.rate-limiter.endpoint-overrides." + name);
    }
    if (action.equals("restore")) {
      actions.restore(name, principal);
    } else {
      if (capacityPerSecond == null || burst == null) {
        return badRequest(
            (capacityPerSecond == null ? "capacityPerSecond" : "burst")
                + " is missing: the body must be "
                + LIMIT_BODY,
            null);
      }
      double rate;
      int tokens;
      try {
        rate = Double.parseDouble(capacityPerSecond);
      } catch (NumberFormatException e) {
        rate = Double.NaN;
      }
      if (!(rate > 0)) {
        return badRequest(
            "capacityPerSecond must be a number greater than 0 and at most 1e9, not "
                + echo(capacityPerSecond),
            null);
      }
      try {
        tokens = Integer.parseInt(burst);
      } catch (NumberFormatException e) {
        tokens = 0;
      }
      if (tokens < 1) {
        return badRequest("burst must be a whole number of at least 1, not " + echo(burst), null);
      }
      try {
        actions.limit(name, rate, tokens, principal);
      } catch (InvalidConfigException e) {
        return badRequest(e.getMessage(), null);
      }
    }
    Guard guard = registry.guards().get(name);
    RateLimiter limiter = registry.findRateLimiter(name);
    RateLimiterDescriptor described =
        limiter != null
            ? describe(limiter, guard)
            : describe(Objects.requireNonNull(guard.keyedRateLimiter()), guard);
    return new WebEndpointResponse<>(new NamedDescriptor(null, described, null));
  }

  private WebEndpointResponse<OperationResponseBody> changeRuleLimits(
      String rule, String action, @Nullable String limits, @Nullable String principal) {
    InboundRuleLimits known = Objects.requireNonNull(rules);
    if (!known.hasLimits(rule)) {
      return new WebEndpointResponse<>(
          new ErrorDescriptor(
              "Inbound rule "
                  + echo(rule)
                  + " has no limits to change, only an adaptive concurrency limit, which moves by"
                  + " itself",
              null),
          STATUS_CONFLICT);
    }
    if (backend != null) {
      return sharedLimits(rule, "resilience.inbound.rules." + rule + ".limits");
    }
    try {
      if (action.equals("restore")) {
        actions.restoreRule(known, rule, principal);
      } else {
        if (limits == null || limits.isBlank()) {
          return badRequest(
              "limits is "
                  + (limits == null ? "missing" : "empty")
                  + ": the body must be "
                  + RULE_LIMIT_BODY,
              null);
        }
        Object parsed = parseLimits(limits);
        if (parsed instanceof String problem) {
          return badRequest(problem, null);
        }
        actions.limitRule(known, rule, (Limits) parsed, principal);
      }
    } catch (UnsupportedOperationException e) {
      return sharedLimits(rule, "resilience.inbound.rules." + rule + ".limits");
    }
    KeyedRateLimiter limiter = Objects.requireNonNull(registry.findKeyedRateLimiter(rule));
    return new WebEndpointResponse<>(new NamedDescriptor(null, null, describeRule(limiter)));
  }

  /**
   * Reads {@code 10/1s, 500/1h}: the {@link Limits}, or what is wrong with them, as a message that
   * says what is allowed.
   */
  private static Object parseLimits(String sent) {
    String[] parts = sent.split(",", -1);
    if (parts.length > Limits.MAX_LIMITS) {
      return "limits has "
          + parts.length
          + " limits: a rule takes 1 to "
          + Limits.MAX_LIMITS
          + " ("
          + RULE_LIMIT_BODY
          + ")";
    }
    List<Limit> limits = new ArrayList<>(parts.length);
    Map<Long, Integer> windows = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String at = "limits[" + i + "]";
      Matcher limit = LIMIT.matcher(parts[i]);
      if (!limit.matches()) {
        return at + " " + echo(parts[i].strip()) + " is not <quota>/<window>, such as 10/1s";
      }
      int quota;
      try {
        quota = Integer.parseInt(limit.group(1));
      } catch (NumberFormatException e) {
        quota = 0;
      }
      if (quota < 1) {
        return at + ": the quota must be a whole number of at least 1, not " + echo(limit.group(1));
      }
      Matcher window = WINDOW.matcher(limit.group(2));
      long millis = 0;
      if (window.matches()) {
        long amount = Long.parseLong(window.group(1));
        String unit = window.group(2) == null ? "ms" : window.group(2);
        millis =
            switch (unit) {
              case "s" -> amount * 1_000;
              case "m" -> amount * 60_000;
              case "h" -> amount * 3_600_000;
              case "d" -> amount * 86_400_000;
              default -> amount;
            };
      }
      if (millis < 1) {
        return at
            + ": the window must be a whole number of milliseconds of at least 1, or of ms, s, m,"
            + " h or d (such as 1000, 1s or 1h), not "
            + echo(limit.group(2));
      }
      Integer first = windows.putIfAbsent(millis, i);
      if (first != null) {
        return at
            + ": limits["
            + first
            + "] has the same window: a policy is named after its window, so keep one limit per"
            + " window (the smaller quota is the one that holds)";
      }
      try {
        limits.add(Limit.of(quota, Duration.ofMillis(millis)));
      } catch (InvalidConfigException e) {
        return at + ": " + e.getMessage();
      }
    }
    return Limits.of(limits);
  }

  /** 409: limits shared through a store are changed in every instance's configuration. */
  private WebEndpointResponse<OperationResponseBody> sharedLimits(String name, String property) {
    return new WebEndpointResponse<>(
        new ErrorDescriptor(
            "The buckets live in "
                + Objects.requireNonNull(backend).name()
                + ", shared by every instance: one instance cannot change a shared bucket's"
                + " limits coherently. Change "
                + property
                + " in every instance's configuration instead",
            null),
        STATUS_CONFLICT);
  }

  /** Whether {@code name} is an endpoint's bucket, or buckets per key, that limits can change. */
  private boolean isEndpoint(String name) {
    if (registry.findRateLimiter(name) != null) {
      return true;
    }
    Guard guard = registry.guards().get(name);
    return guard != null && guard.keyed();
  }

  /**
   * The kill switch: forces every breaker at once. {@code open-all} holds them all OPEN; {@code
   * close-all} makes them CLOSED keeping their windows; {@code reset-all} makes them CLOSED with
   * empty windows.
   *
   * @param action {@code open-all}, {@code close-all} or {@code reset-all}
   * @param principal who asks, when the application authenticates operators
   * @return every breaker and bucket afterwards, as {@link #all()}; an {@link ErrorDescriptor} with
   *     400 naming the allowed actions for a missing or another action
   */
  @WriteOperation
  public WebEndpointResponse<OperationResponseBody> actOnAll(
      @Nullable String action, @Nullable Principal principal) {
    if (action == null) {
      return badRequest(
          "No action: the body must be {\"action\": \""
              + String.join("\"|\"", GLOBAL_ACTIONS)
              + "\"}",
          GLOBAL_ACTIONS);
    }
    Force force =
        action.endsWith("-all") ? Force.named(action.substring(0, action.length() - 4)) : null;
    if (force == null) {
      return unknownAction(action, GLOBAL_ACTIONS);
    }
    actions.forceAll(force, principal == null ? null : principal.getName());
    return new WebEndpointResponse<>(all());
  }

  private static final int STATUS_CONFLICT = 409;

  private static WebEndpointResponse<OperationResponseBody> unknownAction(
      String action, List<String> allowed) {
    return badRequest(
        "Unknown action "
            + echo(action)
            + ": the action must be one of "
            + String.join(", ", allowed),
        allowed);
  }

  private static WebEndpointResponse<OperationResponseBody> notFound(String message) {
    return new WebEndpointResponse<>(
        new ErrorDescriptor(message, null), WebEndpointResponse.STATUS_NOT_FOUND);
  }

  private static WebEndpointResponse<OperationResponseBody> badRequest(
      String message, @Nullable List<String> allowedActions) {
    return new WebEndpointResponse<>(
        new ErrorDescriptor(message, allowedActions), WebEndpointResponse.STATUS_BAD_REQUEST);
  }

  /**
   * Quotes what a caller sent for an error message, cut to {@link #ECHO_LIMIT} characters (never
   * inside a surrogate pair) with an ellipsis and the full length when longer.
   */
  static String echo(String sent) {
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
  private RateLimiterDescriptor describe(RateLimiter limiter, @Nullable Guard guard) {
    return new RateLimiterDescriptor(
        limiter.availableTokens(),
        guard == null ? null : pausedUntil(guard),
        guard == null ? null : guard.breaker().name(),
        guard != null && guard.allowlisted(),
        false,
        null,
        null,
        null,
        registry.limitsChanged(limiter.name()),
        describe(limiter.config()),
        guard == null ? null : adaptive(guard));
  }

  /** Describes a keyed endpoint: its key counts, and the config each key's bucket has. */
  private RateLimiterDescriptor describe(KeyedRateLimiter limiter, Guard guard) {
    return new RateLimiterDescriptor(
        null,
        pausedUntil(guard),
        guard.breaker().name(),
        guard.allowlisted(),
        true,
        limiter.liveKeys(),
        limiter.maxKeys(),
        limiter.evictions(),
        registry.limitsChanged(guard.endpoint()),
        describe(registry.limitsInForce(guard.endpoint())),
        adaptive(guard));
  }

  /**
   * Describes the guard's adaptive limit, or null when it has none; the last change is dated as
   * {@code since} is, the wall clock now minus the ticker's time since.
   */
  private @Nullable AdaptiveDescriptor adaptive(Guard guard) {
    AdaptiveLimit limit = guard.adaptiveLimit();
    return limit == null ? null : describe(limit, null);
  }

  private AdaptiveDescriptor describe(
      AdaptiveLimit limit, @Nullable List<PartitionDescriptor> partitions) {
    AdaptiveLimitConfig config = limit.config();
    AdaptiveLimit.Change change = limit.lastChange();
    long ago = Math.max(0, registry.ticker().read() - change.atNanos());
    return new AdaptiveDescriptor(
        limit.limit(),
        limit.inFlight(),
        config.algorithm().name().toLowerCase(Locale.ROOT),
        config.minLimit(),
        config.maxLimit(),
        new AdaptiveChangeDescriptor(
            change.oldLimit(),
            change.newLimit(),
            change.reason(),
            clock.instant().minusNanos(ago).truncatedTo(ChronoUnit.MILLIS).toString()),
        partitions);
  }

  /**
   * Dates the end of the downstream pause the guard holds, rounded up to the millisecond, so that
   * no call gets through before it; null while none holds.
   */
  private @Nullable String pausedUntil(Guard guard) {
    long remaining = guard.downstreamPauseNanos();
    if (remaining == 0) {
      return null;
    }
    return clock.instant().plusNanos(remaining + 999_999).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static RateLimiterConfigDescriptor describe(RateLimiterConfig config) {
    return new RateLimiterConfigDescriptor(
        config.capacityPerSecond(), config.burst(), config.maxWait().toMillis());
  }

  private InboundRuleDescriptor describeRule(KeyedRateLimiter limiter) {
    Limits inForce;
    boolean overridden;
    if (isRule(limiter.name())) {
      InboundRuleLimits known = Objects.requireNonNull(rules);
      inForce = known.inForce(limiter.name());
      overridden = !inForce.equals(known.configured(limiter.name()));
    } else {
      // made by hand, outside the inbound filter: nothing can change its limits
      inForce = limiter.limits(ANONYMOUS);
      overridden = false;
    }
    List<LimitDescriptor> limits = new ArrayList<>();
    for (Limit limit : inForce.list()) {
      limits.add(new LimitDescriptor(limit.quota(), limit.window().toMillis()));
    }
    return new InboundRuleDescriptor(
        limiter.liveKeys(),
        limiter.maxKeys(),
        limiter.evictions(),
        overridden,
        limits,
        isRule(limiter.name()) ? adaptive(limiter.name()) : null);
  }

  /** Describes a rule that has an adaptive limit and no limits per key. */
  private InboundRuleDescriptor describeAdaptiveOnlyRule(String rule) {
    return new InboundRuleDescriptor(null, null, null, false, null, adaptive(rule));
  }

  /** Describes the rule's adaptive limit and its partitions, or null when it has none. */
  private @Nullable AdaptiveDescriptor adaptive(String rule) {
    InboundRuleLimits known = Objects.requireNonNull(rules);
    AdaptiveLimit limit = known.adaptiveLimit(rule);
    if (limit == null) {
      return null;
    }
    List<PartitionDescriptor> partitions = new ArrayList<>();
    for (InboundRuleLimits.Partition partition : known.partitions(rule)) {
      partitions.add(
          new PartitionDescriptor(
              partition.tier(), partition.share(), partition.guaranteed(), partition.inFlight()));
    }
    return describe(limit, partitions.isEmpty() ? null : partitions);
  }

  /** Whether {@code name} is an inbound rule whose default limits can change. */
  private boolean isRule(String name) {
    return rules != null && rules.ruleNames().contains(name);
  }

  private static KeyDescriptor describe(KeyedRateLimiter limiter, String key) {
    List<Limit> limits = limiter.limits(key).list();
    List<KeyLimitDescriptor> described = new ArrayList<>(limits.size());
    double fewest = Double.MAX_VALUE;
    long longest = 0;
    for (int i = 0; i < limits.size(); i++) {
      double available = limiter.availableTokens(key, i);
      long wait = limiter.nanosUntilToken(key, i);
      fewest = Math.min(fewest, available);
      longest = Math.max(longest, wait);
      described.add(
          new KeyLimitDescriptor(
              limits.get(i).quota(),
              limits.get(i).window().toMillis(),
              available,
              millisRoundedUp(wait)));
    }
    return new KeyDescriptor(
        limiter.name(), key, limiter.isLive(key), fewest, millisRoundedUp(longest), described);
  }

  /** A wait in whole milliseconds, rounded up: a caller who waits that long finds a token. */
  private static long millisRoundedUp(long nanos) {
    long perMilli = TimeUnit.MILLISECONDS.toNanos(1);
    return (nanos + perMilli - 1) / perMilli;
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
   * @param rateLimiters every endpoint's bucket, or buckets per key, by endpoint name in
   *     alphabetical order
   * @param inboundRules every inbound rule's buckets per key, by rule name in alphabetical order
   * @param rateLimitBackend where the buckets live
   */
  public record ResilienceDescriptor(
      Map<String, BreakerDescriptor> breakers,
      Map<String, RateLimiterDescriptor> rateLimiters,
      Map<String, InboundRuleDescriptor> inboundRules,
      BackendDescriptor rateLimitBackend)
      implements OperationResponseBody {}

  /**
   * The answer to {@code GET /actuator/resilience/events}.
   *
   * @param events the last events, newest first
   */
  public record EventsDescriptor(List<EventDescriptor> events) implements OperationResponseBody {}

  /**
   * One event. Every kind reads "{@code name} went from {@code from} to {@code to}": breaker states
   * for {@code transition}, the limits before and after for {@code limit}, the store and its
   * on-failure mode for {@code backend}.
   *
   * @param sequence the event's position since start-up; a later event has a larger one
   * @param time when it happened, as an ISO-8601 UTC instant to the millisecond
   * @param kind {@code transition}, {@code forced}, {@code limit} or {@code backend}
   * @param name the breaker, endpoint or backend it happened to
   * @param from the state or value before; left out when it has none
   * @param to the state or value after; left out when it has none
   * @param detail who did it or why; left out when there is nothing to add
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventDescriptor(
      long sequence,
      String time,
      String kind,
      String name,
      @Nullable String from,
      @Nullable String to,
      @Nullable String detail) {}

  /**
   * Where the buckets live ({@code resilience.rate-limiter.backend}); a local backend has only
   * {@code name} and {@code degraded}.
   *
   * @param name {@code local} or {@code redis}
   * @param degraded whether the store does not answer now, so that {@code onFailure} decides
   * @param onFailure what decides while the store does not answer: local, allow or deny
   * @param timeoutMs the longest a decision waits for the store
   * @param lease tokens an endpoint's bucket takes per round trip; 0: one per call
   * @param errors calls to the store that failed or timed out since start
   * @param lastError why the store last failed; absent if it never did
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BackendDescriptor(
      String name,
      boolean degraded,
      @Nullable String onFailure,
      @Nullable Long timeoutMs,
      @Nullable Integer lease,
      @Nullable Long errors,
      @Nullable String lastError) {}

  /**
   * The answer to {@code GET /actuator/resilience/{name}} and to a successful {@code POST}: what
   * carries that name. Absent parts are left out of the JSON, not written as null.
   *
   * @param breaker the breaker of that name, or null if there is none
   * @param rateLimiter the bucket of the endpoint of that name, or null if there is none
   * @param inboundRule the inbound rule of that name, or null if there is none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NamedDescriptor(
      @Nullable BreakerDescriptor breaker,
      @Nullable RateLimiterDescriptor rateLimiter,
      @Nullable InboundRuleDescriptor inboundRule)
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
   * One endpoint's bucket, or buckets per key, as they are now.
   *
   * @param availableTokens tokens a call could take now, fractions included; null (left out) for a
   *     keyed endpoint, which has no one bucket
   * @param pausedUntil while a downstream's {@code Retry-After} holds the bucket empty, when the
   *     pause ends, as an ISO-8601 UTC instant to the millisecond; else null (left out)
   * @param breaker the breaker guarding the endpoint, or null (left out) for a bucket created
   *     outside any guard
   * @param allowlist whether the endpoint's calls pass an open breaker
   * @param keyed whether each key has its own bucket ({@code @Guarded(key = ...)})
   * @param liveKeys for a keyed endpoint, the keys holding state now; else null (left out)
   * @param maxKeys for a keyed endpoint, the most keys that hold state at once; else null
   * @param evictions for a keyed endpoint, the keys evicted while they still counted; else null
   * @param overridden whether an operator changed the limits ({@code "action": "limit"}) from the
   *     configured ones, until restored or restarted
   * @param config the bucket's configuration in force; each key's, for a keyed endpoint
   * @param adaptive the endpoint's adaptive concurrency limit, or null (left out) when it has none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RateLimiterDescriptor(
      @Nullable Double availableTokens,
      @Nullable String pausedUntil,
      @Nullable String breaker,
      boolean allowlist,
      boolean keyed,
      @Nullable Integer liveKeys,
      @Nullable Integer maxKeys,
      @Nullable Long evictions,
      boolean overridden,
      RateLimiterConfigDescriptor config,
      @Nullable AdaptiveDescriptor adaptive) {}

  /**
   * An endpoint's adaptive concurrency limit as it is now.
   *
   * @param limit the most calls in flight at once now
   * @param inFlight the calls in flight now
   * @param algorithm how the limit moves: {@code aimd} or {@code gradient}
   * @param minLimit the lowest the limit goes
   * @param maxLimit the highest the limit goes
   * @param lastChange the latest move of the limit and why
   * @param partitions an inbound rule's limit shared by tier: each tier's part, the listed ones
   *     first; null (left out) when it is not shared
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AdaptiveDescriptor(
      int limit,
      int inFlight,
      String algorithm,
      int minLimit,
      int maxLimit,
      AdaptiveChangeDescriptor lastChange,
      @Nullable List<PartitionDescriptor> partitions) {}

  /**
   * One tier's part of an inbound rule's adaptive limit.
   *
   * @param tier the tier, or null for the keys of no listed tier
   * @param share the share of the limit guaranteed to it
   * @param guaranteed the slots that share is of the limit in force now
   * @param inFlight its requests in flight now
   */
  public record PartitionDescriptor(
      @Nullable String tier, double share, int guaranteed, int inFlight) {}

  /**
   * A move of an adaptive limit.
   *
   * @param from the limit before
   * @param to the limit after (equal to {@code from} for the initial value)
   * @param reason why: {@code "drop: 503"}, {@code "grew: in use 9 of 10"}, {@code "gradient 0.62"}
   *     or {@code "initial"}
   * @param time when, as an ISO-8601 UTC instant to the millisecond
   */
  public record AdaptiveChangeDescriptor(int from, int to, String reason, String time) {}

  /**
   * One inbound rule's buckets per key and adaptive limit as they are now. A rule that has only an
   * adaptive limit leaves out the fields of the buckets.
   *
   * @param liveKeys the keys holding state now
   * @param maxKeys the most keys that hold state at once
   * @param evictions the keys evicted while they still counted, since start-up
   * @param overridden whether an operator changed the default limits from the configured ones
   *     ({@code "action": "limit"}), until restored or restarted
   * @param limits the limits in force for a key no tier claims, in order
   * @param adaptive the rule's adaptive concurrency limit, or null (left out) when it has none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InboundRuleDescriptor(
      @Nullable Integer liveKeys,
      @Nullable Integer maxKeys,
      @Nullable Long evictions,
      boolean overridden,
      @Nullable List<LimitDescriptor> limits,
      @Nullable AdaptiveDescriptor adaptive) {}

  /**
   * One limit: a bucket of {@code quota} tokens refilled over {@code windowMs}.
   *
   * @param quota tokens the bucket holds when full
   * @param windowMs time over which a full quota is refilled
   */
  public record LimitDescriptor(int quota, long windowMs) {}

  /**
   * The answer to {@code GET /actuator/resilience/keys/{name}/{key}}: one key's buckets now.
   *
   * @param name the keyed endpoint or inbound rule
   * @param key the key asked about
   * @param live whether the key holds state; a key that holds none is full
   * @param availableTokens the fewest tokens in any of the key's buckets, fractions included
   * @param retryAfterMs how long until every bucket of the key has a token (0: a call passes now),
   *     rounded up to the millisecond
   * @param limits each of the key's limits with its own bucket, in order
   */
  public record KeyDescriptor(
      String name,
      String key,
      boolean live,
      double availableTokens,
      long retryAfterMs,
      List<KeyLimitDescriptor> limits)
      implements OperationResponseBody {}

  /**
   * One limit of a key and its bucket now.
   *
   * @param quota tokens the bucket holds when full
   * @param windowMs time over which a full quota is refilled
   * @param availableTokens tokens in the bucket, fractions included
   * @param retryAfterMs how long until the bucket has a whole token, rounded up to the millisecond
   */
  public record KeyLimitDescriptor(
      int quota, long windowMs, double availableTokens, long retryAfterMs) {}

  /**
   * The answer to {@code DELETE /actuator/resilience/keys/{name}/{key}}: the key is full again.
   *
   * @param name the keyed endpoint or inbound rule
   * @param key the key reset
   * @param wasLive whether the key held state before (false: it was full already)
   */
  public record KeyResetDescriptor(String name, String key, boolean wasLive)
      implements OperationResponseBody {}

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
   *     an unknown breaker, keyed endpoint or rule
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ErrorDescriptor(String message, @Nullable List<String> allowedActions)
      implements OperationResponseBody {}
}
