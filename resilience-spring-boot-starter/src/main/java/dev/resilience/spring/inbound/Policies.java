package dev.resilience.spring.inbound;

import dev.resilience.core.Limits;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One set of limits of a rule with its names and its {@code RateLimit-Policy} header, written once
 * when the limits are made (at start-up, or when an operator changes them): the rule's name for its
 * first limit, {@code <rule>/<window>} for each further one. Immutable, so that the limits and the
 * texts that describe them are published together by one reference.
 *
 * <pre>
 * RateLimit-Policy: "orders";q=5;w=1, "orders/1h";q=1000;w=3600
 * </pre>
 */
final class Policies {

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final Limits limits;

  private final String[] names;

  /** Each limit's name in quotes and the {@code ;r=} that follows it in a RateLimit header. */
  private final String[] rateLimitPrefixes;

  private final String policyHeader;

  Policies(String rule, Limits limits) {
    this.limits = limits;
    int n = limits.size();
    names = new String[n];
    rateLimitPrefixes = new String[n];
    StringBuilder policy = new StringBuilder();
    for (int i = 0; i < n; i++) {
      names[i] = i == 0 ? rule : rule + "/" + compact(limits.get(i).window());
      rateLimitPrefixes[i] = '"' + names[i] + "\";r=";
      if (i > 0) {
        policy.append(", ");
      }
      policy
          .append('"')
          .append(names[i])
          .append("\";q=")
          .append(limits.get(i).quota())
          .append(";w=")
          .append(secondsRoundedUp(limits.get(i).window().toNanos()));
    }
    policyHeader = policy.toString();
  }

  /** The limits these texts describe. */
  Limits limits() {
    return limits;
  }

  int size() {
    return names.length;
  }

  String name(int limit) {
    return names[limit];
  }

  /** The {@code RateLimit-Policy} header value of every limit. */
  String policyHeader() {
    return policyHeader;
  }

  /** Appends one limit's part of a {@code RateLimit} header: {@code "orders";r=4;t=0}. */
  void appendRateLimit(StringBuilder out, int limit, long remaining, long nanosUntilToken) {
    out.append(rateLimitPrefixes[limit])
        .append(remaining)
        .append(";t=")
        .append(secondsRoundedUp(nanosUntilToken));
  }

  /** One limit's part of a {@code RateLimit} header as a string of its own. */
  String rateLimit(int limit, long remaining, long nanosUntilToken) {
    return rateLimitPrefixes[limit] + remaining + ";t=" + secondsRoundedUp(nanosUntilToken);
  }

  /** A window as a policy name writes it: {@code 1h}, {@code 30m}, {@code 10s}, {@code 500ms}. */
  static String compact(Duration window) {
    return InboundRuleLimits.compact(window);
  }

  static long secondsRoundedUp(long nanos) {
    return nanos <= 0 ? 0 : (nanos - 1) / NANOS_PER_SECOND + 1;
  }
}
