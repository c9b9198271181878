package dev.resilience.core;

/**
 * A configuration value that is out of range. Thrown by the config constructors, so that no breaker
 * or bucket is ever built from a bad value.
 *
 * <p>It names the field, the rejected value and what is allowed, so that a caller (the Spring Boot
 * starter's failure analyzer, for one) can map the field onto its own property name.
 */
public final class InvalidConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;
  private final String allowed;

  /**
   * Creates the exception.
   *
   * @param field the config field, in camel case as in the config's accessor (e.g. {@code burst})
   * @param value the rejected value as text
   * @param allowed what the field accepts, phrased to follow "must be" (e.g. {@code "at least 1"})
   */
  public InvalidConfigException(String field, String value, String allowed) {
    super(field + " must be " + allowed + ", but was " + value);
    this.field = field;
    this.value = value;
    this.allowed = allowed;
  }

  /** Returns the name of the config field, e.g. {@code capacityPerSecond}. */
  public String field() {
    return field;
  }

  /** Returns the rejected value as text. */
  public String value() {
    return value;
  }

  /** Returns what the field accepts, e.g. {@code "at least 1"}. */
  public String allowed() {
    return allowed;
  }
}
