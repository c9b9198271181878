package dev.resilience.spring.inbound;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;

/**
 * What the rules read of a request, the same under the servlet API and WebFlux. Each adapter reads
 * lazily: a request no rule matches costs a method, a path and nothing more.
 */
interface InboundRequest {

  /** The method, as sent ({@code GET}). */
  String method();

  /** The path within the application as sent, still percent-encoded, without the query. */
  String rawPath();

  /** The path within the application, parsed for {@code PathPattern}s. */
  PathContainer path();

  /** The socket peer's address literal, or null when the transport does not know it. */
  @Nullable String peer();

  /** The first value of the header, or null. */
  @Nullable String header(String name);

  /** Every value of the header joined with commas, as if sent in one header, or null. */
  @Nullable String joinedHeader(String name);

  /** The authenticated user's name, or null. */
  @Nullable String principal();

  /**
   * Puts the rate-limit headers on the answer of a request that goes on: written here, through the
   * transport, rather than returned, so that an admitted request allocates nothing to carry them.
   */
  void rateLimitHeaders(String policy, String rateLimit);

  /**
   * Where the request holds the adaptive limits' slots it takes, until the transport gives them
   * back when the request ends.
   */
  Slots slots();
}
