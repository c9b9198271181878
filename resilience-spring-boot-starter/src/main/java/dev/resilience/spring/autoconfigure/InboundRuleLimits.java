package dev.resilience.spring.autoconfigure;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The default limits of the inbound rules (those of keys no tier claims), which operators may
 * replace at run time (tiers keep theirs), and the rules' adaptive concurrency limits, which the
 * actuator and the live page show. The starter's own seam between the concern that applies the
 * rules (the inbound filter) and the one that changes them (the actuator endpoint). A change lives
 * in this application only: it does not outlive a restart.
 */
public interface InboundRuleLimits {

  /** The rules' names, in declaration order. */
  List<String> ruleNames();

  /**
   * The default limits configured for {@code rule}.
   *
   * @throws IllegalArgumentException if no rule has this name
   * @throws IllegalStateException if the rule has no limits ({@link #hasLimits})
   */
  Limits configured(String rule);

  /**
   * The default limits in force for {@code rule}: the configured ones unless {@link #change}
   * replaced them.
   *
   * @throws IllegalArgumentException if no rule has this name
   * @throws IllegalStateException if the rule has no limits ({@link #hasLimits})
   */
  Limits inForce(String rule);

  /**
   * Holds every key of {@code rule} that has the default limits to {@code limits} from now on, each
   * key keeping its tokens (at most each new quota), and makes the rule's {@code RateLimit-Policy}
   * and {@code RateLimit} headers and its 429 answers show them. {@code change(rule,
   * configured(rule))} restores the configured limits.
   *
   * @return the default limits in force before
   * @throws IllegalArgumentException if no rule has this name
   * @throws IllegalStateException if the rule has no limits ({@link #hasLimits})
   * @throws UnsupportedOperationException if the rule's buckets live in a store shared with other
   *     instances (Redis), whose limits every instance's configuration must change
   */
  Limits change(String rule, Limits limits);

  /**
   * Whether {@code rule} has limits per key; a rule may instead have only an adaptive concurrency
   * limit, and then {@link #configured}, {@link #inForce} and {@link #change} refuse it.
   *
   * @throws IllegalArgumentException if no rule has this name
   */
  boolean hasLimits(String rule);

  /**
   * The adaptive concurrency limit of {@code rule}, or null when it has none.
   *
   * @throws IllegalArgumentException if no rule has this name
   */
  @Nullable AdaptiveLimit adaptiveLimit(String rule);

  /**
   * How the adaptive limit of {@code rule} is shared by tier now: the listed tiers in order, then
   * the keys of no listed tier; empty when it is not shared (or there is none).
   *
   * @throws IllegalArgumentException if no rule has this name
   */
  List<Partition> partitions(String rule);

  /**
   * One tier's part of an inbound rule's adaptive limit.
   *
   * @param tier the tier, or null for the keys of no listed tier
   * @param share the share of the limit guaranteed to it
   * @param guaranteed the slots that share is of the limit in force now
   * @param inFlight its requests in flight now
   */
  record Partition(@Nullable String tier, double share, int guaranteed, int inFlight) {}

  /**
   * Limits as policy names and the audit log write them: {@code 5/1s, 1000/1h}, each {@code
   * <quota>/<window>}.
   */
  static String describe(Limits limits) {
    StringBuilder out = new StringBuilder();
    for (Limit limit : limits.list()) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(limit.quota()).append('/').append(compact(limit.window()));
    }
    return out.toString();
  }

  /**
   * A window in its largest whole unit, as a policy name writes it: {@code 1h}, {@code 30m}, {@code
   * 10s}, {@code 500ms}.
   */
  static String compact(Duration window) {
    long nanos = window.toNanos();
    for (int i = 0; i < Units.NAMES.length; i++) {
      if (nanos % Units.NANOS[i] == 0) {
        return nanos / Units.NANOS[i] + Units.NAMES[i];
      }
    }
    throw new AssertionError("every duration is a whole number of nanoseconds");
  }
}

/** The units {@link InboundRuleLimits#compact} writes, largest first. */
final class Units {

  static final long[] NANOS = {
    TimeUnit.DAYS.toNanos(1),
    TimeUnit.HOURS.toNanos(1),
    TimeUnit.MINUTES.toNanos(1),
    TimeUnit.SECONDS.toNanos(1),
    TimeUnit.MILLISECONDS.toNanos(1),
    TimeUnit.MICROSECONDS.toNanos(1),
    1
  };

  static final String[] NAMES = {"d", "h", "m", "s", "ms", "us", "ns"};

  private Units() {}
}
