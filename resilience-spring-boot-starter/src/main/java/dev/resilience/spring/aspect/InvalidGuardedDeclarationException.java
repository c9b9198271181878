package dev.resilience.spring.aspect;

/**
 * A {@code @Guarded} annotation that cannot work as written: a bad endpoint or breaker name, a
 * fallback that does not exist or does not match, a method no proxy can reach (private, final,
 * static), a return type whose outcome the guard cannot see. Stops start-up; {@code
 * InvalidGuardedDeclarationFailureAnalyzer} turns it into a message naming the method and the fix.
 * An endpoint declared twice differently is a {@link ConflictingEndpointDeclarationException}.
 */
public class InvalidGuardedDeclarationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String declaration;
  private final String problem;
  private final String fix;

  /**
   * Creates the exception.
   *
   * @param declaration where the annotation is, e.g. {@code OrderService.place(OrderRequest)}
   * @param problem what is wrong with it
   * @param fix what to change
   */
  public InvalidGuardedDeclarationException(String declaration, String problem, String fix) {
    super("@Guarded on " + declaration + ": " + problem);
    this.declaration = declaration;
    this.problem = problem;
    this.fix = fix;
  }

  /** Returns where the annotation is. */
  public String declaration() {
    return declaration;
  }

  /** Returns what is wrong. */
  public String problem() {
    return problem;
  }

  /** Returns what to change. */
  public String fix() {
    return fix;
  }
}
