package dev.resilience.spring.autoconfigure;

/**
 * A {@code resilience.*} property with a value that is not allowed. Stops start-up; {@link
 * ResilienceFailureAnalyzer} turns it into a message naming the property, the value and the fix.
 */
public class InvalidResiliencePropertyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String property;
  private final String value;
  private final String allowed;

  /**
   * Creates the exception.
   *
   * @param property the full property name, e.g. {@code resilience.rate-limiter.burst}
   * @param value the rejected value as text
   * @param allowed what the property accepts, phrased to follow "must be"
   */
  public InvalidResiliencePropertyException(String property, String value, String allowed) {
    super("Property '" + property + "' must be " + allowed + ", but was " + value);
    this.property = property;
    this.value = value;
    this.allowed = allowed;
  }

  /** Returns the full property name. */
  public String property() {
    return property;
  }

  /** Returns the rejected value as text. */
  public String value() {
    return value;
  }

  /** Returns what the property accepts. */
  public String allowed() {
    return allowed;
  }
}
