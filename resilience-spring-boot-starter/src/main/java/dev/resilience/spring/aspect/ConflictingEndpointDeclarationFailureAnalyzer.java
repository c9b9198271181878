package dev.resilience.spring.aspect;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names both declarations of an endpoint declared twice differently, and how to reconcile them. */
class ConflictingEndpointDeclarationFailureAnalyzer
    extends AbstractFailureAnalyzer<ConflictingEndpointDeclarationException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, ConflictingEndpointDeclarationException cause) {
    return new FailureAnalysis(
        cause.getMessage() + ".",
        "An endpoint has one breaker, one allowlist flag and one kind of bucket (one for all"
            + " calls, or one per key): give both declarations of '"
            + cause.endpoint()
            + "' the same breaker and allowlist, and a key in both or in neither, or give one of"
            + " them another endpoint name.",
        cause);
  }
}
