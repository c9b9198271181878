package dev.resilience.spring.inbound;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limits;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException;
import dev.resilience.spring.autoconfigure.ResilienceProperties.MissingKey;
import dev.resilience.spring.autoconfigure.ResilienceProperties.RateLimitHeaders;
import dev.resilience.spring.inbound.InboundConfig.RuleConfig;
import dev.resilience.spring.inbound.InboundListener.Outcome;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides, for one request, what the inbound rules do with it, whatever the transport: every rule
 * whose paths and methods match applies, in declaration order, and the first that rejects answers.
 * A request from a bypassed peer passes every rule; a rule in shadow mode only counts.
 *
 * <p>The buckets per key are the registry's ({@link ResilienceRegistry#keyedRateLimiter(String,
 * Function)}), so the actuator and the metrics find each rule under its name. Everything a request
 * reads that does not depend on it (header values, JSON fragments, path prefixes) is written at
 * start-up; a request that no rule matches allocates nothing.
 *
 * <p>An operator may replace a rule's default limits at run time ({@link #change}): the buckets
 * carry each key into them, and the texts that describe them are swapped with them.
 */
final class InboundLimiter implements InboundRuleLimits {

  private static final Log logger = LogFactory.getLog(InboundLimiter.class);

  static final String ANONYMOUS = "anonymous";
  static final String FORWARDED_FOR = "X-Forwarded-For";
  static final String QUOTA_EXCEEDED =
      "https://iana.org/assignments/http-problem-types#quota-exceeded";
  static final String TEMPORARY_REDUCED_CAPACITY =
      "https://iana.org/assignments/http-problem-types#temporary-reduced-capacity";

  /**
   * The {@code Retry-After} of a request the adaptive limit turned away, in seconds: a slot frees
   * when any request in flight ends, so the shortest wait the header can say.
   */
  static final long OVER_CAPACITY_RETRY_SECONDS = 1;

  private static final int INSTANCE_MAX = 100;

  private final Rule[] rules;
  private final int trustedProxies;
  private final Cidr[] bypass;
  private final boolean headersWhenAdmitted;
  private final boolean headersWhenRejected;
  private final InboundListener listener;
  private final AdaptiveGate[] gates;
  private final Ticker ticker;
  private final String[] unguardedPaths;

  /**
   * @param unguardedPaths path prefixes no adaptive limit applies to (the actuator's, the live
   *     page's): a probe must reach a service that sheds load, and a stream would hold a slot for
   *     as long as it is open
   */
  InboundLimiter(
      InboundConfig config,
      ResilienceRegistry registry,
      @Nullable TierResolver tiers,
      InboundListener listener,
      List<String> unguardedPaths) {
    List<Rule> built = new ArrayList<>();
    List<AdaptiveGate> gates = new ArrayList<>();
    for (RuleConfig rule : config.rules()) {
      boolean partitioned = rule.adaptive() != null && !rule.adaptive().partitions().isEmpty();
      if ((!rule.tiers().isEmpty() || partitioned) && tiers == null) {
        throw new IllegalStateException(
            "Inbound rule '"
                + rule.name()
                + "' has "
                + (partitioned ? "adaptive.partitions" : "tiers")
                + " but the application defines no TierResolver bean: define one, or remove the"
                + " rule's "
                + (partitioned ? "partitions" : "tiers"));
      }
      AdaptiveGate gate =
          rule.adaptive() == null
              ? null
              : new AdaptiveGate(
                  gates.size(),
                  AdaptiveLimit.of(rule.name(), rule.adaptive().config(), registry.ticker()),
                  rule.adaptive().partitions());
      if (gate != null) {
        gates.add(gate);
      }
      built.add(new Rule(built.size(), rule, registry, tiers, gate));
    }
    this.rules = built.toArray(new Rule[0]);
    this.gates = gates.toArray(new AdaptiveGate[0]);
    this.ticker = registry.ticker();
    this.unguardedPaths = unguardedPaths.toArray(new String[0]);
    this.trustedProxies = config.trustedProxies();
    this.bypass = config.bypass().toArray(new Cidr[0]);
    this.headersWhenAdmitted = config.headers() == RateLimitHeaders.ALWAYS;
    this.headersWhenRejected = config.headers() != RateLimitHeaders.NEVER;
    this.listener = listener;
  }

  /** The rules' names in declaration order: the positions {@link InboundListener} is told. */
  @Override
  public List<String> ruleNames() {
    List<String> names = new ArrayList<>(rules.length);
    for (Rule rule : rules) {
      names.add(rule.name);
    }
    return names;
  }

  @Override
  public Limits configured(String rule) {
    return rule(rule).limited().defaults;
  }

  @Override
  public Limits inForce(String rule) {
    return rule(rule).limited().inForce.limits();
  }

  @Override
  public Limits change(String rule, Limits limits) {
    return rule(rule).limited().change(Objects.requireNonNull(limits, "limits"));
  }

  @Override
  public boolean hasLimits(String rule) {
    return rule(rule).buckets != null;
  }

  @Override
  public @Nullable AdaptiveLimit adaptiveLimit(String rule) {
    AdaptiveGate gate = rule(rule).gate;
    return gate == null ? null : gate.limit;
  }

  @Override
  public List<Partition> partitions(String rule) {
    AdaptiveGate gate = rule(rule).gate;
    return gate == null ? List.of() : gate.partitions();
  }

  /** The number of adaptive limits: the size of a request's {@link Slots}. */
  int gateCount() {
    return gates.length;
  }

  /**
   * Gives back the slots a request holds, when it ends.
   *
   * @param measured whether the request ended normally, so that its time tells of the load
   */
  void release(Slots slots, boolean measured) {
    if (!slots.isEmpty()) {
      slots.release(gates, ticker.read(), measured);
    }
  }

  private Rule rule(String name) {
    for (Rule rule : rules) {
      if (rule.name.equals(name)) {
        return rule;
      }
    }
    throw new IllegalArgumentException("No inbound rule is named '" + name + "'");
  }

  /** Whether a rule that matches this request keys on the principal (WebFlux reads it lazily). */
  boolean needsPrincipal(InboundRequest request) {
    String raw = request.rawPath();
    boolean plain = isPlain(raw);
    for (Rule rule : rules) {
      if (rule.readsPrincipal && rule.matches(request, raw, plain)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Decides what the rules do with the request. A request that proceeds may hold slots of adaptive
   * limits ({@link InboundRequest#slots()}): the transport gives them back with {@link #release}
   * when it ends. One that does not proceed holds none.
   */
  Decision decide(InboundRequest request) {
    Decision decision = applyRules(request);
    if (!decision.proceeds() && gates.length > 0) {
      release(request.slots(), false);
    }
    return decision;
  }

  private Decision applyRules(InboundRequest request) {
    String raw = request.rawPath();
    int unguarded = -1; // whether the adaptive limits skip this path: not looked at yet
    boolean plain = isPlain(raw);
    int bypassed = -1; // not looked at yet; then 0 or 1
    String ip = null;
    boolean ipRead = false;
    // The headers of the rules applied so far: one rule's are written without a StringBuilder,
    // its RateLimit-Policy being a string made at start-up.
    String policies = null;
    String rateLimits = null;
    for (Rule rule : rules) {
      if (!rule.matches(request, raw, plain)) {
        continue;
      }
      if (bypass.length > 0) {
        if (bypassed < 0) {
          bypassed = isBypassed(request.peer()) ? 1 : 0;
        }
        if (bypassed == 1) {
          listener.onRequest(rule.index, Outcome.BYPASSED);
          continue;
        }
      }
      if (rule.readsIp && !ipRead) {
        ip = clientIp(request);
        ipRead = true;
      }
      String key = rule.key(request, ip);
      if (key == null) {
        if (rule.shadow) {
          if (rule.rejectMissing) {
            listener.onRequest(rule.index, Outcome.SHADOW_REJECTED);
            continue;
          }
        } else if (rule.rejectMissing) {
          return rule.missingKey(raw);
        }
        key = ANONYMOUS;
      }
      AdaptiveGate gate = rule.gate;
      if (gate != null) {
        if (unguarded < 0) {
          unguarded = isUnguarded(raw) ? 1 : 0;
        }
        if (unguarded == 0) {
          int partition = gate.tryAcquire(gate.partitioned() ? rule.tierOf(key) : null);
          if (partition == AdaptiveGate.REJECTED) {
            if (rule.shadow) {
              listener.onRequest(rule.index, Outcome.SHADOW_REJECTED);
              continue;
            }
            listener.onRequest(rule.index, Outcome.REJECTED_CAPACITY);
            return rule.overCapacity(gate, raw);
          }
          request.slots().take(gate, partition, ticker.read());
        }
      }
      KeyedRateLimiter buckets = rule.buckets;
      if (buckets == null) {
        listener.onRequest(rule.index, Outcome.ADMITTED);
        continue;
      }
      // As the buckets hold the key: its tier's, or the default limits in force (an operator's).
      Limits limits = buckets.limits(key);
      if (buckets.tryReserve(key, 0) == KeyedRateLimiter.REJECTED) {
        if (rule.shadow) {
          listener.onRequest(rule.index, Outcome.SHADOW_REJECTED);
          continue;
        }
        listener.onRequest(rule.index, Outcome.REJECTED);
        return rule.rejected(key, limits, raw, headersWhenRejected);
      }
      listener.onRequest(rule.index, Outcome.ADMITTED);
      if (headersWhenAdmitted && !rule.shadow) {
        Policies names = rule.policies(limits);
        String rateLimit = rule.rateLimits(names, key);
        if (policies == null) {
          policies = names.policyHeader();
          rateLimits = rateLimit;
        } else {
          policies = policies + ", " + names.policyHeader();
          rateLimits = rateLimits + ", " + rateLimit;
        }
      }
    }
    if (policies != null) {
      request.rateLimitHeaders(policies, Objects.requireNonNull(rateLimits));
    }
    return Decision.PROCEED;
  }

  /**
   * The client's address: the socket peer, or with {@code n} trusted proxies the {@code n}-th
   * address from the right of X-Forwarded-For (every such header joined), its leftmost if it has
   * fewer. Never further left: whatever a client writes there itself sits left of what the trusted
   * proxies appended, so it is never read.
   */
  @Nullable String clientIp(InboundRequest request) {
    if (trustedProxies == 0) {
      return request.peer();
    }
    String forwarded = request.joinedHeader(FORWARDED_FOR);
    String client = forwarded == null ? null : nthFromRight(forwarded, trustedProxies);
    return client != null ? client : request.peer();
  }

  static @Nullable String nthFromRight(String list, int n) {
    int end = list.length();
    int from = -1;
    int to = -1;
    int count = 0;
    while (end >= 0) {
      int comma = end == 0 ? -1 : list.lastIndexOf(',', end - 1);
      int start = comma + 1;
      int stop = end;
      while (start < stop && list.charAt(start) <= ' ') {
        start++;
      }
      while (stop > start && list.charAt(stop - 1) <= ' ') {
        stop--;
      }
      if (stop > start) {
        from = start;
        to = stop;
        if (++count == n) {
          break;
        }
      }
      end = comma;
    }
    return count == 0 ? null : list.substring(from, to);
  }

  private boolean isBypassed(@Nullable String peer) {
    byte[] address = peer == null ? null : IpAddresses.parse(peer);
    if (address == null) {
      return false;
    }
    for (Cidr block : bypass) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the path is one no adaptive limit applies to: the actuator's or the live page's. */
  private boolean isUnguarded(String raw) {
    for (String prefix : unguardedPaths) {
      if (raw.startsWith(prefix)
          && (raw.length() == prefix.length() || raw.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the raw path reads as its decoded form: only then can a literal prefix rule a pattern
   * out without parsing ({@code /ord%65rs} and {@code /orders;x=1} match {@code /orders}).
   */
  private static boolean isPlain(String raw) {
    return raw.indexOf('%') < 0 && raw.indexOf(';') < 0;
  }

  /** One rule, ready for requests. */
  private static final class Rule {

    final int index;
    final String name;
    private final PathMatch[] paths;
    private final String[] methods;
    private final KeySpec key;
    final boolean shadow;
    final boolean rejectMissing;
    final boolean readsIp;
    final boolean readsPrincipal;

    /** The buckets per key, or null when the rule has only an adaptive limit. */
    final @Nullable KeyedRateLimiter buckets;

    /** The adaptive concurrency limit, or null when the rule has none. */
    final @Nullable AdaptiveGate gate;

    /**
     * The default limits configured: what {@link #limitsOf} gives every key no tier claims; null
     * when the rule has none.
     */
    final @Nullable Limits defaults;

    /**
     * The default limits in force and their texts, one reference so that no request reads new
     * limits with old headers; an operator's change ({@link #change}) replaces it.
     */
    volatile @Nullable Policies inForce;

    /** The texts of the configured limits, tiers' included: fixed from start-up. */
    private final Map<Limits, Policies> policies = new IdentityHashMap<>();

    private final @Nullable TierResolver tiers;

    /** The resolver that names a key's partition of the adaptive limit, when it is shared. */
    private final @Nullable TierResolver partitionTiers;

    private final Map<String, Limits> tierLimits;
    private final String rejectedBodyStart;
    private final String overCapacityBodyStart;
    private final String missingKeyBodyStart;
    private final AtomicBoolean expressionFailureLogged = new AtomicBoolean();
    private static final int UNKNOWN_TIERS_LOGGED = 16;
    private final Set<String> unknownTiers = ConcurrentHashMap.newKeySet();

    Rule(
        int index,
        RuleConfig config,
        ResilienceRegistry registry,
        @Nullable TierResolver tiers,
        @Nullable AdaptiveGate gate) {
      this.index = index;
      this.name = config.name();
      this.paths = config.paths().stream().map(PathMatch::of).toArray(PathMatch[]::new);
      this.methods = config.methods().toArray(new String[0]);
      this.key = config.key();
      this.shadow = config.shadow();
      this.rejectMissing = config.missingKey() == MissingKey.REJECT;
      this.readsIp = key.kind() == KeySpec.Kind.IP || key.kind() == KeySpec.Kind.EXPRESSION;
      this.readsPrincipal =
          key.kind() == KeySpec.Kind.PRINCIPAL || key.kind() == KeySpec.Kind.EXPRESSION;
      this.defaults = config.limits();
      this.inForce = defaults == null ? null : new Policies(name, defaults);
      if (defaults != null) {
        policies.put(defaults, inForce);
      }
      this.tierLimits = config.tiers();
      tierLimits.values().forEach(limits -> policies.put(limits, new Policies(name, limits)));
      this.tiers = tierLimits.isEmpty() ? null : tiers;
      this.gate = gate;
      this.partitionTiers = gate != null && gate.partitioned() ? tiers : null;
      this.buckets = defaults == null ? null : buckets(registry, name, this);
      this.overCapacityBodyStart =
          "{\"type\":\""
              + TEMPORARY_REDUCED_CAPACITY
              + "\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":"
              + Json.quote(
                  "Concurrency limit of rule '"
                      + name
                      + "' reached: the service is serving as many requests as it can now")
              + ",\"rule\":"
              + Json.quote(name)
              + ",\"instance\":";
      this.rejectedBodyStart =
          "{\"type\":\""
              + QUOTA_EXCEEDED
              + "\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":"
              + Json.quote("Rate limit of rule '" + name + "' reached")
              + ",\"rule\":"
              + Json.quote(name)
              + ",\"instance\":";
      this.missingKeyBodyStart =
          "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":"
              + Json.quote(
                  "Rule '"
                      + name
                      + "' tells clients apart by "
                      + key.describeMissing()
                      + ", which this request does not carry")
              + ",\"rule\":"
              + Json.quote(name)
              + ",\"instance\":";
    }

    boolean matches(InboundRequest request, String raw, boolean plain) {
      if (methods.length > 0 && !hasMethod(request.method())) {
        return false;
      }
      if (paths.length == 0) {
        return true;
      }
      for (PathMatch path : paths) {
        if (path.matches(raw, plain, request)) {
          return true;
        }
      }
      return false;
    }

    private boolean hasMethod(String method) {
      for (String allowed : methods) {
        if (allowed.equals(method)) {
          return true;
        }
      }
      return false;
    }

    /** The request's key, or null when it has none (blank counts as none). */
    @Nullable String key(InboundRequest request, @Nullable String ip) {
      String value =
          switch (key.kind()) {
            case IP -> ip;
            case HEADER -> request.header(Objects.requireNonNull(key.header()));
            case PRINCIPAL -> request.principal();
            case EXPRESSION -> evaluate(request, ip);
          };
      return value == null || value.isBlank() ? null : value;
    }

    private @Nullable String evaluate(InboundRequest request, @Nullable String ip) {
      try {
        return key.evaluate(new KeyRoot(request, ip));
      } catch (RuntimeException e) {
        // A key that cannot be made is a missing key, handled as the rule says; said once.
        if (expressionFailureLogged.compareAndSet(false, true)) {
          logger.warn(
              "The key of inbound rule '"
                  + name
                  + "' ("
                  + key
                  + ") failed on a request; such requests count as having no key. Later failures"
                  + " are not logged.",
              e);
        }
        return null;
      }
    }

    /** This rule, which must have limits: for the operator's reads and changes of them. */
    Rule limited() {
      if (buckets == null) {
        throw new IllegalStateException(
            "Inbound rule '"
                + name
                + "' has no limits to read or change, only an adaptive concurrency limit, which"
                + " moves by itself");
      }
      return this;
    }

    /** The key's partition of the adaptive limit: its tier, or null for none. */
    @Nullable String tierOf(String key) {
      TierResolver resolver = partitionTiers;
      return resolver == null ? null : resolver.tier(name, key);
    }

    /** The answer to a request the adaptive limit turned away: 503, try again in a second. */
    Decision overCapacity(AdaptiveGate gate, String path) {
      String body =
          overCapacityBodyStart
              + Json.quote(instance(path))
              + ",\"limit\":"
              + gate.limit.limit()
              + ",\"retryAfterMs\":"
              + TimeUnit.SECONDS.toMillis(OVER_CAPACITY_RETRY_SECONDS)
              + "}";
      return new Decision(503, null, null, OVER_CAPACITY_RETRY_SECONDS, body);
    }

    Limits limitsOf(String key) {
      Limits defaults = Objects.requireNonNull(this.defaults);
      if (tiers == null) {
        return defaults;
      }
      String tier = tiers.tier(name, key);
      if (tier == null) {
        return defaults;
      }
      Limits limits = tierLimits.get(tier);
      if (limits == null) {
        unknownTier(tier);
        return defaults;
      }
      return limits;
    }

    /**
     * A tier the resolver names but this rule does not define gets the default limits, which may be
     * a typo: said once per tier name, for the first {@value #UNKNOWN_TIERS_LOGGED} names (the
     * resolver's answers are not bounded).
     */
    private void unknownTier(String tier) {
      if (unknownTiers.size() < UNKNOWN_TIERS_LOGGED && unknownTiers.add(tier)) {
        logger.warn(
            "The TierResolver put a key of inbound rule '"
                + name
                + "' in tier '"
                + (tier.length() <= 64 ? tier : tier.substring(0, 64) + "...")
                + "', which the rule does not define (its tiers: "
                + tierLimits.keySet()
                + "): such keys get the rule's default limits. Define the tier under"
                + " resilience.inbound.rules."
                + name
                + ".tiers, or fix the name the resolver returns.");
      }
    }

    /**
     * The texts of the limits a request read from the buckets. Limits from a change the request
     * raced (read just before or after {@link #inForce} was swapped) get texts of their own, made
     * now: the headers always describe the limits the request read.
     */
    Policies policies(Limits limits) {
      Policies current = inForce;
      if (current.limits() == limits) {
        return current;
      }
      Policies found = policies.get(limits);
      return found != null ? found : new Policies(name, limits);
    }

    /**
     * Replaces the default limits, the buckets first (they refuse when shared through a store),
     * then the texts. Serialised, so that two operators' changes land in one order in both.
     */
    synchronized Limits change(Limits limits) {
      Limits before = inForce.limits();
      buckets.replaceLimits(defaults, limits);
      inForce = limits.equals(defaults) ? policies.get(defaults) : new Policies(name, limits);
      return before;
    }

    /** The {@code RateLimit} header of an admitted request: every limit's tokens left. */
    String rateLimits(Policies names, String key) {
      int n = Math.min(names.size(), buckets.limits(key).size());
      if (n == 1) {
        // The usual rule, one limit: the header's string alone, no builder.
        return names.rateLimit(
            0, (long) Math.floor(buckets.availableTokens(key, 0)), buckets.nanosUntilToken(key, 0));
      }
      StringBuilder out = new StringBuilder(32 * n);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(", ");
        }
        names.appendRateLimit(
            out,
            i,
            (long) Math.floor(buckets.availableTokens(key, i)),
            buckets.nanosUntilToken(key, i));
      }
      return out.toString();
    }

    Decision rejected(String key, Limits limits, String path, boolean headers) {
      Policies names = policies(limits);
      int n = Math.min(names.size(), buckets.limits(key).size());
      long retryNanos = 0;
      StringBuilder violated = new StringBuilder();
      StringBuilder rateLimit = headers ? new StringBuilder(32 * n) : null;
      int longest = 0;
      for (int i = 0; i < n; i++) {
        long wait = buckets.nanosUntilToken(key, i);
        if (wait > retryNanos) {
          retryNanos = wait;
          longest = i;
        }
        if (wait > 0) {
          violated.append(violated.length() == 0 ? "" : ",").append(Json.quote(names.name(i)));
        }
        if (rateLimit != null) {
          if (i > 0) {
            rateLimit.append(", ");
          }
          names.appendRateLimit(
              rateLimit, i, (long) Math.floor(buckets.availableTokens(key, i)), wait);
        }
      }
      if (violated.length() == 0) {
        // Refilled between the rejection and now: name the limit that was nearest to empty.
        violated.append(Json.quote(names.name(longest)));
      }
      long retryMillis = Math.max(1, (retryNanos + 999_999) / TimeUnit.MILLISECONDS.toNanos(1));
      String body =
          rejectedBodyStart
              + Json.quote(instance(path))
              + ",\"violated-policies\":["
              + violated
              + "],\"retryAfterMs\":"
              + retryMillis
              + "}";
      return new Decision(
          429,
          headers ? names.policyHeader() : null,
          rateLimit == null ? null : rateLimit.toString(),
          Math.max(1, Policies.secondsRoundedUp(retryNanos)),
          body);
    }

    Decision missingKey(String path) {
      return new Decision(
          400, null, null, 0, missingKeyBodyStart + Json.quote(instance(path)) + "}");
    }

    private static String instance(String path) {
      return path.length() <= INSTANCE_MAX ? path : path.substring(0, INSTANCE_MAX);
    }
  }

  /**
   * Creates a rule's buckets per key in the registry, where a keyed endpoint of the same name bound
   * first would make the core refuse the name with no property to point at.
   */
  private static KeyedRateLimiter buckets(ResilienceRegistry registry, String name, Rule rule) {
    try {
      // without tiers every key has the same limits: the core then spends no stamp on each key
      return rule.tiers == null
          ? registry.keyedRateLimiter(name, rule.defaults)
          : registry.keyedRateLimiter(name, rule::limitsOf);
    } catch (IllegalStateException taken) {
      throw new InvalidResiliencePropertiesException(
          List.of(
              new InvalidResiliencePropertiesException.Problem(
                  "resilience.inbound.rules." + name,
                  name,
                  null,
                  "names limits per key that exist already: an endpoint with"
                      + " @Guarded(endpoint = \""
                      + name
                      + "\", key = ...)",
                  "Rename the rule or the endpoint: inbound rules and keyed endpoints share one"
                      + " namespace, so that an operator can name either in"
                      + " /actuator/resilience/keys/{name}/{key}")));
    }
  }
}
