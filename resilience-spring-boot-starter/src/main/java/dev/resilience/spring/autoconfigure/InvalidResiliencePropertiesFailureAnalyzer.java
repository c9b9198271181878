package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException.Problem;
import java.util.List;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports every wrong {@code resilience.*} property at once: for each its name, its value as
 * written, where it was set, what is wrong and how to fix it. Laid out as Spring Boot reports a
 * property that fails to bind, so that the report reads like the ones users already know.
 */
class InvalidResiliencePropertiesFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidResiliencePropertiesException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, InvalidResiliencePropertiesException cause) {
    List<Problem> problems = cause.problems();
    StringBuilder description =
        new StringBuilder("Invalid resilience configuration: ")
            .append(
                problems.size() == 1
                    ? "1 property is wrong."
                    : problems.size() + " properties are wrong.")
            .append('\n');
    StringBuilder action =
        new StringBuilder(
            "Update the application's configuration (application.yml, application.properties, command-line"
                + " arguments or environment variables):\n");
    for (Problem problem : problems) {
      description.append("\n    Property: ").append(problem.property());
      description.append("\n    Value: \"").append(problem.value()).append('"');
      if (problem.origin() != null) {
        description.append("\n    Origin: ").append(problem.origin());
      }
      description.append("\n    Reason: ").append(problem.reason()).append('\n');
      action.append("\n    - ").append(problem.property()).append(": ").append(problem.fix());
    }
    return new FailureAnalysis(description.toString(), action.toString(), cause);
  }
}
