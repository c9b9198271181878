package dev.resilience.spring.inbound;

import dev.resilience.core.Limits;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The names and the {@code RateLimit-Policy} header of one set of limits of a rule, written once at
 * start-up: the rule's name for its first limit, {@code <rule>/<window>} for each further one.
 *
 * <pre>
 * RateLimit-Policy: "orders";q=5;w=1, "orders/1h";q=1000;w=3600
 * </pre>
 */
final class Policies {

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private static final long[] UNIT_NANOS = {
    TimeUnit.DAYS.toNanos(1),
    TimeUnit.HOURS.toNanos(1),
    TimeUnit.MINUTES.toNanos(1),
    TimeUnit.SECONDS.toNanos(1),
    TimeUnit.MILLISECONDS.toNanos(1),
    TimeUnit.MICROSECONDS.toNanos(1),
    1
  };
  private static final String[] UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};

  private final String[] names;

  /** Each limit's name in quotes and the {@code ;r=} that follows it in a RateLimit header. */
  private final String[] rateLimitPrefixes;

  private final String policyHeader;

  Policies(String rule, Limits limits) {
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
    long nanos = window.toNanos();
    for (int i = 0; i < UNITS.length; i++) {
      if (nanos % UNIT_NANOS[i] == 0) {
        return nanos / UNIT_NANOS[i] + UNITS[i];
      }
    }
    throw new AssertionError("every duration is a whole number of nanoseconds");
  }

  static long secondsRoundedUp(long nanos) {
    return nanos <= 0 ? 0 : (nanos - 1) / NANOS_PER_SECOND + 1;
  }
}
