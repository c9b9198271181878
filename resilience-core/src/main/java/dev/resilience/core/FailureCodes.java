package dev.resilience.core;

import org.jspecify.annotations.Nullable;

/**
 * The failure codes: what a {@link FailureClassifier} answers, what {@code weights} are keyed by,
 * and what the metrics' {@code code} tag and the breaker's snapshot show.
 *
 * <p>HTTP answers that count against the downstream have their status as code ({@code 429}, {@code
 * 503}); the other codes are the constants below. A breaker tells at most {@link #MAX_DISTINCT}
 * codes apart, {@link #OTHER} included: the first {@code MAX_DISTINCT - 1} codes it sees keep their
 * name and every later one counts as {@code other}, so that a classifier that invents codes cannot
 * grow the breaker, the snapshot or the metrics without bound.
 */
public final class FailureCodes {

  /** A timeout, including a probe that never reported back and a call over its time limit. */
  public static final String TIMEOUT = "timeout";

  /** A connection failure or another network I/O error. */
  public static final String NETWORK = "network";

  /** A success slower than the breaker's slow-call duration. */
  public static final String SLOW = "slow";

  /** Every code seen after a breaker has told {@link #MAX_DISTINCT} - 1 others apart. */
  public static final String OTHER = "other";

  /** How many codes a breaker tells apart, {@link #OTHER} included. */
  public static final int MAX_DISTINCT = 10;

  private FailureCodes() {}

  /**
   * Returns the failure code of an HTTP status: {@code 429}, or the number of a 5xx; null for any
   * other status, which does not count against the downstream.
   */
  public static @Nullable String ofHttpStatus(int status) {
    if (status == 429 || (status >= 500 && status <= 599)) {
      return Integer.toString(status);
    }
    return null;
  }

  /**
   * Returns whether {@code code} is one the built-in classifiers give: {@code 429}, {@code 500} to
   * {@code 599}, {@link #TIMEOUT}, {@link #NETWORK} or {@link #SLOW}.
   */
  public static boolean isBuiltIn(String code) {
    if (code.equals(TIMEOUT) || code.equals(NETWORK) || code.equals(SLOW)) {
      return true;
    }
    if (code.length() != 3 || !code.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return ofHttpStatus(Integer.parseInt(code)) != null;
  }
}
