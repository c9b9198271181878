package dev.resilience.spring.autoconfigure;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Finds what a mistyped name was probably meant to be, so that an error can say "did you mean". The
 * distance counts inserted, removed and replaced characters and swapped neighbours ({@code brust}
 * is one step from {@code burst}).
 */
final class Spelling {

  /** Key names compare as the binder matches them: case and dashes do not count. */
  static final UnaryOperator<String> RELAXED =
      name -> name.replace("-", "").toLowerCase(Locale.ROOT);

  /**
   * Failure codes are matched exactly, but a suggestion may differ in case ({@code ioexception}).
   */
  static final UnaryOperator<String> IGNORE_CASE = name -> name.toLowerCase(Locale.ROOT);

  private Spelling() {}

  /**
   * Returns the candidate closest to {@code typed}, or null when none is close: a quarter of the
   * candidate's length, at least 1 and at most 3 steps, so that a short key is not "corrected" into
   * an unrelated one. The first candidate wins a tie.
   */
  static @Nullable String closest(
      String typed, Iterable<String> candidates, UnaryOperator<String> normalize) {
    String a = normalize.apply(typed);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      String b = normalize.apply(candidate);
      int distance = distance(a, b);
      if (distance <= Math.max(1, Math.min(3, b.length() / 4)) && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
