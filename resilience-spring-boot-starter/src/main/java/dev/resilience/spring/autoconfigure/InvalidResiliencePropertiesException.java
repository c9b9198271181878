package dev.resilience.spring.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@code resilience.*} properties that start-up cannot accept: a value out of range, an unknown
 * key, a weight for a failure code no breaker produces, an exception class that is not on the class
 * path. It lists every problem found, not only the first, so that one failed start shows them all;
 * {@link InvalidResiliencePropertiesFailureAnalyzer} turns it into the start-up report.
 */
public class InvalidResiliencePropertiesException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  /**
   * Creates the exception.
   *
   * @param problems every wrong property, at least one
   */
  public InvalidResiliencePropertiesException(List<Problem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Returns every wrong property, in the order they were found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid configuration has at least one problem");
    }
    return problems.stream()
        .map(problem -> problem.property() + "=" + problem.value() + " " + problem.reason())
        .collect(Collectors.joining("; ", "Invalid resilience configuration: ", ""));
  }

  /**
   * One wrong property.
   *
   * @param property the property's full name, e.g. {@code resilience.breaker.cooldown}
   * @param value the value as written in the configuration, e.g. {@code -10s}
   * @param origin where the value was set (a file and line, an environment variable), or null when
   *     that is not known
   * @param reason what is wrong, e.g. {@code must be a positive duration}
   * @param fix what to do about it, e.g. {@code set it to a positive duration}
   */
  public record Problem(
      String property, String value, @Nullable String origin, String reason, String fix) {}
}
