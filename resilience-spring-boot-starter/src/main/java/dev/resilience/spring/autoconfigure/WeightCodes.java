package dev.resilience.spring.autoconfigure;

import dev.resilience.core.FailureCodes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The failure codes a breaker can count, which are the only keys {@code weights} accepts: a weight
 * for any other code would never apply. The rule is the core's ({@link FailureCodes#isBuiltIn});
 * this class adds the recorded exceptions' names and the words for the report.
 */
final class WeightCodes {

  /** The codes that are not HTTP statuses, as the core's classifiers and breaker produce them. */
  private static final List<String> NAMED =
      List.of(FailureCodes.TIMEOUT, FailureCodes.NETWORK, FailureCodes.SLOW);

  /** Every HTTP status the core counts, as codes: {@code 429}, {@code 500} to {@code 599}. */
  private static final List<String> HTTP = httpCodes();

  private WeightCodes() {}

  /**
   * Whether a breaker can count failures under {@code code}.
   *
   * @param recorded the simple names of the breaker's {@code record-exceptions}: a recorded
   *     exception counts under its simple class name
   */
  static boolean isKnown(String code, Collection<String> recorded) {
    return FailureCodes.isBuiltIn(code) || recorded.contains(code);
  }

  /** The known code closest to a mistyped one, or null when none is close. */
  static @Nullable String closest(String code, Collection<String> recorded) {
    List<String> candidates = new ArrayList<>(NAMED);
    candidates.addAll(recorded);
    candidates.addAll(HTTP);
    return Spelling.closest(code, candidates, Spelling.IGNORE_CASE);
  }

  /** The known codes in words, for an error message. */
  static String describe(Collection<String> recorded) {
    String codes = "429, 500 to 599, " + String.join(", ", NAMED);
    return recorded.isEmpty()
        ? codes
        : codes
            + " and the simple names of the recorded exceptions ("
            + String.join(", ", recorded)
            + ")";
  }

  /** Asks the core which statuses count, so that the rule stays in one place. */
  private static List<String> httpCodes() {
    List<String> codes = new ArrayList<>();
    for (int status = 100; status <= 599; status++) {
      String code = FailureCodes.ofHttpStatus(status);
      if (code != null) {
        codes.add(code);
      }
    }
    return List.copyOf(codes);
  }
}
