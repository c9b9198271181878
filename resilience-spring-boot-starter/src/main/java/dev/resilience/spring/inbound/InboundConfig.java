package dev.resilience.spring.inbound;

import dev.resilience.core.AdaptiveLimitConfig;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException.Problem;
import dev.resilience.spring.autoconfigure.ReservedNames;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Inbound;
import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundAdaptive;
import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundLimit;
import dev.resilience.spring.autoconfigure.ResilienceProperties.InboundRule;
import dev.resilience.spring.autoconfigure.ResilienceProperties.MissingKey;
import dev.resilience.spring.autoconfigure.ResilienceProperties.RateLimitHeaders;
import dev.resilience.spring.autoconfigure.ResiliencePropertiesCheck;
import dev.resilience.spring.autoconfigure.ResiliencePropertiesCheck.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * The {@code resilience.inbound} properties, read and checked: the one place that says what an
 * inbound setting may be. The strict check runs it for its report ({@link InboundPropertiesCheck});
 * the filter is built from what it returns.
 */
final class InboundConfig {

  static final String PREFIX = "resilience.inbound";

  /** The methods a rule may name: those of RFC 9110 and PATCH. */
  static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

  private static final String METHOD_LIST = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE";

  /**
   * One rule, as its properties say: limits, an adaptive limit, or both.
   *
   * @param limits the default limits of each key, or null when the rule has only an adaptive limit
   * @param adaptive the adaptive concurrency limit, or null when it has none
   */
  record RuleConfig(
      String name,
      List<PathPattern> paths,
      List<String> methods,
      KeySpec key,
      @Nullable Limits limits,
      Map<String, Limits> tiers,
      boolean shadow,
      MissingKey missingKey,
      @Nullable AdaptiveRule adaptive) {}

  /**
   * A rule's adaptive concurrency limit.
   *
   * @param config the limit's settings (always {@code GRADIENT})
   * @param partitions the share of the limit guaranteed to each tier, in declaration order
   */
  record AdaptiveRule(AdaptiveLimitConfig config, Map<String, Double> partitions) {}

  private final int trustedProxies;
  private final List<Cidr> bypass;
  private final RateLimitHeaders headers;
  private final List<RuleConfig> rules;

  private InboundConfig(
      int trustedProxies, List<Cidr> bypass, RateLimitHeaders headers, List<RuleConfig> rules) {
    this.trustedProxies = trustedProxies;
    this.bypass = bypass;
    this.headers = headers;
    this.rules = rules;
  }

  int trustedProxies() {
    return trustedProxies;
  }

  List<Cidr> bypass() {
    return bypass;
  }

  RateLimitHeaders headers() {
    return headers;
  }

  List<RuleConfig> rules() {
    return rules;
  }

  /**
   * Reads the properties, or stops with every problem found. The strict check has reported them
   * already, with their origins, when it ran; this is for a context where it did not.
   */
  static InboundConfig of(Inbound inbound) {
    List<Problem> problems = new ArrayList<>();
    InboundConfig config =
        read(
            inbound,
            new Report() {
              @Override
              public void invalidValue(String property, String bound, String allowed) {
                add(property, bound, "must be " + allowed, "set it to " + allowed);
              }

              @Override
              public void add(String property, String bound, String reason, String fix) {
                problems.add(new Problem(property, bound, null, reason, fix));
              }
            });
    if (!problems.isEmpty()) {
      throw new InvalidResiliencePropertiesException(problems);
    }
    return config;
  }

  /** Reads the properties, reporting each value it cannot accept; those are left out. */
  static InboundConfig read(Inbound inbound, Report report) {
    int trusted = inbound.getTrustedProxies();
    if (trusted < 0) {
      report.invalidValue(
          PREFIX + ".trusted-proxies",
          Integer.toString(trusted),
          "0 (no proxy: the socket's peer is the client) or the number of proxies in front");
      trusted = 0;
    }
    List<Cidr> bypass = new ArrayList<>();
    List<String> cidrs = inbound.getBypassCidrs();
    for (int i = 0; i < cidrs.size(); i++) {
      String cidr = cidrs.get(i);
      try {
        bypass.add(Cidr.parse(cidr));
      } catch (IllegalArgumentException e) {
        report.add(
            PREFIX + ".bypass-cidrs[" + i + "]",
            cidr,
            "not an address or CIDR block: " + e.getMessage(),
            "write an IPv4 or IPv6 address or block, such as 10.0.0.0/8, 127.0.0.1 or fd00::/8");
      }
    }
    List<RuleConfig> rules = new ArrayList<>();
    inbound
        .getRules()
        .forEach(
            (name, rule) -> {
              RuleConfig read = rule(name, rule, report);
              if (read != null) {
                rules.add(read);
              }
            });
    return new InboundConfig(
        trusted, List.copyOf(bypass), inbound.getHeaders(), List.copyOf(rules));
  }

  /** The property prefix of a rule, as a user writes it. */
  static String rulePrefix(String name) {
    return PREFIX + ".rules." + ResiliencePropertiesCheck.mapKey(name);
  }

  private static @Nullable RuleConfig rule(String name, InboundRule rule, Report report) {
    String prefix = rulePrefix(name);
    boolean valid = true;
    try {
      // The core owns the rule for names (it names the buckets): ask it rather than repeat it.
      KeyedRateLimiter.inMemory(
          name, Limits.of(Limit.of(1, Duration.ofSeconds(1))), 1, Ticker.system());
    } catch (InvalidConfigException e) {
      report.add(
          prefix,
          name,
          "the rule name '" + name + "' is not " + e.allowed(),
          "rename the rule to 1 to 64 of the characters [A-Za-z0-9_.-]; it appears in headers,"
              + " metrics and actuator paths");
      valid = false;
    }
    if (ReservedNames.isReserved(name)) {
      report.add(
          prefix,
          name,
          "the rule name '"
              + name
              + "' is reserved: "
              + ReservedNames.NAMES
              + " are paths of the resilience actuator endpoint",
          "give the rule another name");
      valid = false;
    }

    List<PathPattern> paths = new ArrayList<>();
    for (int i = 0; i < rule.getPaths().size(); i++) {
      String path = rule.getPaths().get(i);
      String property = prefix + ".paths[" + i + "]";
      if (!path.startsWith("/")) {
        report.add(
            property,
            path,
            "a path pattern must start with '/': request paths always do",
            "write it as /" + path);
        valid = false;
        continue;
      }
      try {
        paths.add(PathPatternParser.defaultInstance.parse(path));
      } catch (PatternParseException e) {
        report.add(
            property,
            path,
            "not a path pattern: " + e.getMessage(),
            "write a Spring PathPattern, such as /orders/**, /orders/{id} or /api/*/status");
        valid = false;
      }
    }

    List<String> methods = new ArrayList<>();
    for (int i = 0; i < rule.getMethods().size(); i++) {
      String method = rule.getMethods().get(i).trim().toUpperCase(Locale.ROOT);
      if (METHODS.contains(method)) {
        methods.add(method);
      } else {
        report.invalidValue(
            prefix + ".methods[" + i + "]", rule.getMethods().get(i), "one of " + METHOD_LIST);
        valid = false;
      }
    }

    KeySpec key = null;
    try {
      key = KeySpec.parse(rule.getKey());
    } catch (IllegalArgumentException e) {
      report.add(
          prefix + ".key",
          rule.getKey(),
          "not a key: " + e.getMessage(),
          "use ip, header:<name> (header:X-Api-Key), principal, or a SpEL expression over method,"
              + " path, ip, principal and header('Name')");
      valid = false;
    }

    AdaptiveRule adaptive = adaptive(prefix + ".adaptive", rule.getAdaptive(), report);
    boolean adaptiveOnly = rule.getLimits().isEmpty() && rule.getAdaptive().isEnabled();
    Limits limits =
        adaptiveOnly ? null : limits(prefix + ".limits", rule.getLimits(), "rule", report);
    if (adaptiveOnly && !rule.getTiers().isEmpty()) {
      report.add(
          prefix + ".tiers",
          String.join(", ", rule.getTiers().keySet()),
          "tiers replace the rule's limits for their keys, and the rule has no limits (only an"
              + " adaptive limit)",
          "give the rule limits, or share its adaptive limit by tier with adaptive.partitions");
      valid = false;
    }
    Map<String, Limits> tiers = new LinkedHashMap<>();
    rule.getTiers()
        .forEach(
            (tier, tierLimits) -> {
              Limits read =
                  limits(
                      prefix + ".tiers." + ResiliencePropertiesCheck.mapKey(tier),
                      tierLimits,
                      "tier",
                      report);
              if (read != null) {
                tiers.put(tier, read);
              }
            });
    if (!valid
        || key == null
        || (limits == null && !adaptiveOnly)
        || (adaptive == null && rule.getAdaptive().isEnabled())
        || tiers.size() != rule.getTiers().size()) {
      return null;
    }
    return new RuleConfig(
        name,
        List.copyOf(paths),
        List.copyOf(methods),
        key,
        limits,
        Map.copyOf(tiers),
        rule.isShadow(),
        rule.getMissingKey(),
        adaptive);
  }

  /** The rule's adaptive limit, or null when it has none or when its settings are reported. */
  private static @Nullable AdaptiveRule adaptive(
      String prefix, InboundAdaptive adaptive, Report report) {
    if (!adaptive.isEnabled()) {
      if (!adaptive.getPartitions().isEmpty()) {
        report.add(
            prefix + ".partitions",
            String.join(", ", adaptive.getPartitions().keySet()),
            "partitions share an adaptive limit, and the rule's adaptive limit is off, so they"
                + " would do nothing",
            "set " + prefix + ".enabled=true, or remove the partitions");
      }
      return null;
    }
    boolean valid = true;
    double total = 0;
    for (Map.Entry<String, Double> partition : adaptive.getPartitions().entrySet()) {
      double share = partition.getValue() == null ? Double.NaN : partition.getValue();
      if (!(share > 0 && share <= 1)) {
        report.invalidValue(
            prefix + ".partitions." + ResiliencePropertiesCheck.mapKey(partition.getKey()),
            String.valueOf(partition.getValue()),
            "a share of the limit greater than 0 and at most 1, such as 0.3");
        valid = false;
      } else {
        total += share;
      }
    }
    if (valid && total > 1 + 1e-9) {
      report.add(
          prefix + ".partitions",
          adaptive.getPartitions().toString(),
          String.format(
              Locale.ROOT,
              "the shares add up to %.2f: more than the whole limit cannot be guaranteed",
              total),
          "lower the shares so that they add up to at most 1; keys of no listed tier share what"
              + " is left");
      valid = false;
    }
    AdaptiveLimitConfig config = null;
    try {
      AdaptiveLimitConfig defaults = AdaptiveLimitConfig.defaults();
      config =
          new AdaptiveLimitConfig(
              AdaptiveLimitConfig.Algorithm.GRADIENT,
              adaptive.getMinLimit(),
              adaptive.getMaxLimit(),
              adaptive.getInitialLimit(),
              defaults.backoffRatio(),
              defaults.shortWindow(),
              defaults.longWindow(),
              adaptive.getTolerance(),
              defaults.smoothing());
    } catch (InvalidConfigException e) {
      report.invalidValue(
          prefix + "." + ResiliencePropertiesCheck.kebab(e.field()), e.value(), e.allowed());
      valid = false;
    }
    return valid && config != null
        // in the order written: the actuator lists the partitions so (Map.copyOf has no order)
        ? new AdaptiveRule(
            config, Collections.unmodifiableMap(new LinkedHashMap<>(adaptive.getPartitions())))
        : null;
  }

  private static @Nullable Limits limits(
      String property, List<InboundLimit> configured, String owner, Report report) {
    if (configured.isEmpty()) {
      report.add(
          property,
          "",
          "the " + owner + " has no limits, so it would limit nothing",
          "rule".equals(owner)
              ? "give it at least one limit, such as [{quota: 5, window: 1s}], or an adaptive"
                  + " concurrency limit (adaptive.enabled: true)"
              : "give it at least one limit, such as [{quota: 5, window: 1s}]");
      return null;
    }
    boolean valid = true;
    List<Limit> limits = new ArrayList<>();
    Map<Duration, Integer> windows = new LinkedHashMap<>();
    for (int i = 0; i < configured.size(); i++) {
      InboundLimit limit = configured.get(i);
      String at = property + "[" + i + "]";
      if (limit.getQuota() == null || limit.getWindow() == null) {
        String missing = limit.getQuota() == null ? "quota" : "window";
        report.add(
            at + "." + missing,
            "",
            "the limit has no " + missing,
            "give every limit a quota and a window, such as {quota: 5, window: 1s}");
        valid = false;
        continue;
      }
      try {
        limits.add(Limit.of(limit.getQuota(), limit.getWindow()));
      } catch (InvalidConfigException e) {
        report.invalidValue(at + "." + e.field(), e.value(), e.allowed());
        valid = false;
        continue;
      }
      Integer first = windows.putIfAbsent(limit.getWindow(), i);
      if (first != null) {
        report.add(
            at + ".window",
            limit.getWindow().toString(),
            "the "
                + owner
                + " has two limits with a window of "
                + Policies.compact(limit.getWindow())
                + " (["
                + first
                + "] and ["
                + i
                + "]); a policy is named after its window",
            "keep one limit per window: the smaller quota is the one that holds");
        valid = false;
      }
    }
    if (!valid) {
      return null;
    }
    try {
      return Limits.of(limits);
    } catch (InvalidConfigException e) {
      report.invalidValue(property, e.value(), e.allowed());
      return null;
    }
  }
}
