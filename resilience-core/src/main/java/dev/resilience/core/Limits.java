package dev.resilience.core;

import java.util.List;
import java.util.Objects;

/**
 * The limits one key is held to, all at once: a call is admitted only when every one of them has a
 * token, and a call that any of them rejects takes from none. Immutable.
 *
 * <pre>{@code
 * Limits orders = Limits.of(Limit.of(5, Duration.ofSeconds(1)), Limit.of(1000, Duration.ofHours(1)));
 * }</pre>
 */
public final class Limits {

  /** The most limits one key may be held to; each costs 8 bytes per live key. */
  public static final int MAX_LIMITS = 8;

  private final List<Limit> list;
  private final long[] intervals;
  private final long[] tolerances;

  private Limits(List<Limit> list) {
    if (list.isEmpty() || list.size() > MAX_LIMITS) {
      throw new InvalidConfigException(
          "limits", Integer.toString(list.size()), "1 to " + MAX_LIMITS + " limits");
    }
    this.list = List.copyOf(list);
    this.intervals = new long[list.size()];
    this.tolerances = new long[list.size()];
    for (int i = 0; i < list.size(); i++) {
      intervals[i] = list.get(i).intervalNanos();
      tolerances[i] = list.get(i).toleranceNanos();
    }
  }

  /**
   * Returns these limits, in this order (the order of rate-limit headers).
   *
   * @throws InvalidConfigException unless there are 1 to {@value #MAX_LIMITS} of them
   */
  public static Limits of(Limit... limits) {
    return new Limits(List.of(limits));
  }

  /** Returns these limits, in this order. */
  public static Limits of(List<Limit> limits) {
    return new Limits(Objects.requireNonNull(limits, "limits"));
  }

  /** Returns the limits in order. */
  public List<Limit> list() {
    return list;
  }

  /** Returns how many limits there are. */
  public int size() {
    return intervals.length;
  }

  /** Returns limit {@code i}. */
  public Limit get(int i) {
    return list.get(i);
  }

  long interval(int i) {
    return intervals[i];
  }

  long tolerance(int i) {
    return tolerances[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Limits other && list.equals(other.list);
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    return list.toString();
  }
}
