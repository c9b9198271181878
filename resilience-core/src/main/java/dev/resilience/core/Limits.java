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
  private final long stamp;

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
    this.stamp = stamp(this.list);
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

  /**
   * A fingerprint of the buckets' shapes, in order: a key's cell remembers it, so that a key whose
   * limits change (a tier) is told apart from one that keeps them, even when the function that
   * names its limits makes new, equal ones on every call.
   */
  long stamp() {
    return stamp;
  }

  private static long stamp(List<Limit> list) {
    long h = list.size();
    for (Limit limit : list) {
      h = mix(h ^ limit.intervalNanos());
      h = mix(h ^ limit.quota());
    }
    return h;
  }

  /** A 64-bit finalizer (MurmurHash3's): every input bit moves about half the output bits. */
  private static long mix(long h) {
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
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
