package dev.resilience.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns bad resilience configuration into a start-up report that names what was wrong and how to
 * fix it, instead of a stack trace.
 */
class ResilienceFailureAnalyzer implements FailureAnalyzer {

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InvalidResiliencePropertyException e) {
        return new FailureAnalysis(
            "Invalid resilience configuration: property '"
                + e.property()
                + "' is "
                + e.value()
                + ", which is not allowed.",
            "Set '" + e.property() + "' to " + e.allowed() + " (in application.yml, application.properties or"
                + " the environment variable that defines it).",
            e);
      }
    }
    return null;
  }
}
