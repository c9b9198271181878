package dev.resilience.core;

import java.util.Arrays;

/**
 * Gives each failure code a small index, so that a window slice counts failures per code in a
 * fixed array instead of a map. At most {@link #CAPACITY} codes are told apart per breaker; later
 * new codes are counted under {@link #OTHER}. In practice a breaker sees a handful: {@code 429},
 * a few 5xx numbers, {@code timeout}, {@code network}, {@code slow}.
 */
final class FailureCodes {

  static final int CAPACITY = 10;
  static final String OTHER = "other";

  /** Copy-on-write: read without a lock, grown under the monitor (a new code is rare). */
  private volatile String[] codes = new String[0];

  int indexOf(String code) {
    String[] known = codes;
    for (int i = 0; i < known.length; i++) {
      if (known[i].equals(code)) {
        return i;
      }
    }
    return add(code);
  }

  String code(int index) {
    return codes[index];
  }

  private synchronized int add(String code) {
    String[] known = codes;
    for (int i = 0; i < known.length; i++) {
      if (known[i].equals(code)) {
        return i;
      }
    }
    String name = known.length == CAPACITY - 1 ? OTHER : code;
    if (known.length == CAPACITY) {
      return CAPACITY - 1; // the last slot is OTHER
    }
    String[] grown = Arrays.copyOf(known, known.length + 1);
    grown[known.length] = name;
    codes = grown;
    return known.length;
  }
}
