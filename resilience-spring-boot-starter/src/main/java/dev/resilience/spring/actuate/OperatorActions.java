package dev.resilience.spring.actuate;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limits;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.autoconfigure.OperatorActionListener;
import dev.resilience.spring.autoconfigure.OperatorActionListener.Action;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Performs every action an operator takes on the breakers and buckets, and is the one place that
 * records them: each is logged at INFO (the audit log: what, on what, old and new values of a
 * limit, and who, when the application authenticates operators) and told to every {@link
 * OperatorActionListener} (the metrics count them). Whatever else should follow each action goes
 * here, once.
 */
public class OperatorActions {

  private static final Log log = LogFactory.getLog(OperatorActions.class);

  /** The forcing of one breaker, by the name an operator gives it. */
  enum Force {
    OPEN("open", CircuitBreaker::forceOpen),
    CLOSE("close", CircuitBreaker::forceClose),
    RESET("reset", CircuitBreaker::reset);

    final String action;
    final Consumer<CircuitBreaker> apply;

    Force(String action, Consumer<CircuitBreaker> apply) {
      this.action = action;
      this.apply = apply;
    }

    static @Nullable Force named(String action) {
      for (Force force : values()) {
        if (force.action.equals(action)) {
          return force;
        }
      }
      return null;
    }
  }

  private final ResilienceRegistry registry;
  private final Iterable<OperatorActionListener> listeners;

  /**
   * Creates the actions on {@code registry}.
   *
   * @param listeners told of each action; read at each action, so an {@code ObjectProvider} of the
   *     beans does
   */
  public OperatorActions(ResilienceRegistry registry, Iterable<OperatorActionListener> listeners) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
  }

  /** Actions that no listener hears (tests, an endpoint made by hand): still logged. */
  static OperatorActions unheard(ResilienceRegistry registry) {
    return new OperatorActions(registry, List.of());
  }

  /** Forces one breaker. */
  void force(CircuitBreaker breaker, Force force, @Nullable String principal) {
    String before = breaker.state().name();
    force.apply.accept(breaker);
    record(
        force.action,
        breaker.name(),
        "breaker '" + breaker.name() + "' " + before + " -> " + breaker.state(),
        principal);
  }

  /**
   * Forces every breaker: {@code action} is {@code open-all}, {@code close-all} or {@code
   * reset-all}.
   */
  void forceAll(Force force, @Nullable String principal) {
    Map<String, CircuitBreaker> breakers = registry.circuitBreakers();
    breakers.values().forEach(force.apply);
    record(
        force.action + "-all",
        null,
        breakers.size() + " breaker" + (breakers.size() == 1 ? "" : "s") + " " + breakers.keySet(),
        principal);
  }

  /**
   * Changes the limits of an endpoint's bucket, or of each of its keys' buckets.
   *
   * @throws dev.resilience.core.InvalidConfigException if the values are not valid limits
   */
  void limit(String endpoint, double capacityPerSecond, int burst, @Nullable String principal) {
    RateLimiterConfig before = registry.changeLimits(endpoint, capacityPerSecond, burst);
    record("limit", endpoint, change(endpoint, before), principal);
  }

  /** Returns an endpoint to its configured limits. */
  void restore(String endpoint, @Nullable String principal) {
    RateLimiterConfig before = registry.restoreLimits(endpoint);
    record("restore", endpoint, change(endpoint, before), principal);
  }

  /**
   * Replaces an inbound rule's default limits (tiers keep theirs), each key keeping its tokens.
   *
   * @throws UnsupportedOperationException if the rule's buckets are shared through a store
   */
  void limitRule(InboundRuleLimits rules, String rule, Limits limits, @Nullable String principal) {
    Limits before = rules.change(rule, limits);
    record("limit", rule, ruleChange(rule, before, rules.inForce(rule)), principal);
  }

  /** Returns an inbound rule to its configured default limits. */
  void restoreRule(InboundRuleLimits rules, String rule, @Nullable String principal) {
    Limits before = rules.change(rule, rules.configured(rule));
    record("restore", rule, ruleChange(rule, before, rules.inForce(rule)), principal);
  }

  /**
   * Forgets one key of a keyed endpoint or inbound rule, so that its buckets are full again.
   *
   * @return whether the key held state
   */
  boolean resetKey(KeyedRateLimiter limiter, String key, @Nullable String principal) {
    boolean wasLive = limiter.reset(key);
    record(
        "reset-key",
        limiter.name(),
        "key "
            + fingerprint(key)
            + " of '"
            + limiter.name()
            + "' reset to full"
            + (wasLive ? "" : " (it held no state)"),
        principal);
    return wasLive;
  }

  /**
   * Names a key in the audit log without writing it: keys are often API keys or account numbers,
   * and logs are read by more people than the keys' owners. The first 8 hex digits of the key's
   * SHA-256 tell an operator which of the keys they reset was which (hash the key they hold and
   * compare) without revealing it; no prefix of the key itself is shown, since a short API key's
   * prefix is a large part of it.
   */
  static String fingerprint(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  private static String ruleChange(String rule, Limits before, Limits after) {
    return "rule '"
        + rule
        + "' limits "
        + InboundRuleLimits.describe(before)
        + " -> "
        + InboundRuleLimits.describe(after);
  }

  private String change(String endpoint, RateLimiterConfig before) {
    RateLimiterConfig after = registry.limitsInForce(endpoint);
    return "endpoint '"
        + endpoint
        + "' capacityPerSecond "
        + before.capacityPerSecond()
        + " -> "
        + after.capacityPerSecond()
        + ", burst "
        + before.burst()
        + " -> "
        + after.burst();
  }

  private void record(
      String action, @Nullable String target, String description, @Nullable String principal) {
    if (log.isInfoEnabled()) {
      log.info(
          "Operator action "
              + action
              + ": "
              + description
              + " (by "
              + (principal == null ? "an unauthenticated caller" : "'" + principal + "'")
              + ")");
    }
    Action done = new Action(action, target, description, principal);
    for (OperatorActionListener listener : listeners) {
      listener.onOperatorAction(done);
    }
  }
}
