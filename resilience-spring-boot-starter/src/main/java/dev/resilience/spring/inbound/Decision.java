package dev.resilience.spring.inbound;

import org.jspecify.annotations.Nullable;

/**
 * What the filter does with one request: let it through (with or without rate-limit headers) or
 * answer it at once with a problem+json body.
 */
final class Decision {

  /** Through, and nothing to add: the answer to most requests, shared. */
  static final Decision PROCEED = new Decision(0, null, null, 0, null);

  static final String PROBLEM_JSON = "application/problem+json";

  private final int status;
  private final @Nullable String policyHeader;
  private final @Nullable String rateLimitHeader;
  private final long retryAfterSeconds;
  private final @Nullable String body;

  Decision(
      int status,
      @Nullable String policyHeader,
      @Nullable String rateLimitHeader,
      long retryAfterSeconds,
      @Nullable String body) {
    this.status = status;
    this.policyHeader = policyHeader;
    this.rateLimitHeader = rateLimitHeader;
    this.retryAfterSeconds = retryAfterSeconds;
    this.body = body;
  }

  /** Whether the request goes on to the application. */
  boolean proceeds() {
    return status == 0;
  }

  /** The answer's status when it does not proceed: 429 or 400. */
  int status() {
    return status;
  }

  /** The {@code RateLimit-Policy} header, or null for none. */
  @Nullable String policyHeader() {
    return policyHeader;
  }

  /** The {@code RateLimit} header, or null for none. */
  @Nullable String rateLimitHeader() {
    return rateLimitHeader;
  }

  /** The {@code Retry-After} header in seconds, or 0 for none. */
  long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The problem+json body when it does not proceed. */
  @Nullable String body() {
    return body;
  }
}
