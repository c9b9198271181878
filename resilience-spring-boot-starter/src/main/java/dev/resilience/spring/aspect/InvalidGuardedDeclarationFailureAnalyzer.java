package dev.resilience.spring.aspect;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names the {@code @Guarded} method that cannot work as written, what is wrong and the fix. */
class InvalidGuardedDeclarationFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidGuardedDeclarationException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, InvalidGuardedDeclarationException cause) {
    return new FailureAnalysis(
        "Invalid @Guarded declaration on " + cause.declaration() + ": " + cause.problem(),
        cause.fix(),
        cause);
  }
}
