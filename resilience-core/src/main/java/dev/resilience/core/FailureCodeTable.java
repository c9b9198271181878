package dev.resilience.core;

import java.util.Arrays;

/**
 * Gives each failure code one breaker sees a small index, so that a window slice counts failures
 * per code in a fixed array instead of a map. Past {@link FailureCodes#MAX_DISTINCT} - 1 codes,
 * every new code shares the last index, named {@link FailureCodes#OTHER}.
 */
final class FailureCodeTable {

  static final int CAPACITY = FailureCodes.MAX_DISTINCT;

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

  /**
   * Returns the code at {@code index} as the breaker counts it: the code itself, or {@code other}.
   */
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
    if (known.length == CAPACITY) {
      return CAPACITY - 1; // the last slot is OTHER
    }
    String[] grown = Arrays.copyOf(known, known.length + 1);
    grown[known.length] = known.length == CAPACITY - 1 ? FailureCodes.OTHER : code;
    codes = grown;
    return known.length;
  }
}
