package dev.resilience.spring.aspect;

/**
 * One endpoint declared twice with a different breaker or allowlist flag, or with a key in one
 * declaration and none in the other. An endpoint has one breaker, one allowlist flag and one kind
 * of bucket (one for all calls, or one per key), so start-up stops; {@code
 * ConflictingEndpointDeclarationFailureAnalyzer} names both declarations.
 */
public class ConflictingEndpointDeclarationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String endpoint;
  private final String first;
  private final String second;

  /**
   * Creates the exception.
   *
   * @param endpoint the endpoint declared twice
   * @param first the declaration seen first, e.g. {@code @Guarded on Quotes.quote() with breaker
   *     'pricing'}
   * @param second the declaration that disagrees with it
   */
  public ConflictingEndpointDeclarationException(String endpoint, String first, String second) {
    super(
        "Endpoint '" + endpoint + "' is declared twice differently: " + first + ", and " + second);
    this.endpoint = endpoint;
    this.first = first;
    this.second = second;
  }

  /** Returns the endpoint declared twice. */
  public String endpoint() {
    return endpoint;
  }

  /** Returns the declaration seen first. */
  public String first() {
    return first;
  }

  /** Returns the declaration that disagrees with the first. */
  public String second() {
    return second;
  }
}
