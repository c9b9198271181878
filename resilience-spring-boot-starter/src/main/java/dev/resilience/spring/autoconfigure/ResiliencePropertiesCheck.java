package dev.resilience.spring.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * A check of the {@code resilience.*} properties that another concern of this starter owns (the
 * inbound rules' path patterns, addresses and keys), run by the strict check with its own so that
 * every wrong property lands in one start-up report ({@link InvalidResiliencePropertiesException}).
 *
 * <p>Implementations are listed in {@code META-INF/spring.factories} under this interface's name:
 * the registry's configuration names no concern, and each concern keeps its rules next to the code
 * that applies them. This is the starter's own seam, not an extension point for applications.
 */
public interface ResiliencePropertiesCheck {

  /**
   * Reports every value of {@code properties} this check owns that start-up cannot accept.
   *
   * @param beans the application's bean definitions, for settings that need a bean (no bean is
   *     created by looking)
   */
  void check(ResilienceProperties properties, ListableBeanFactory beans, Report report);

  /**
   * The property name of a map key as a user writes it: in brackets unless it binds without them
   * ({@code orders}, but {@code [quote.v2]}).
   */
  static String mapKey(String key) {
    return ResilienceConfigs.key(key);
  }

  /**
   * A core setting's field as its property is written: {@code minLimit} to {@code min-limit}, so
   * that a check reports a core {@code InvalidConfigException} under the user's name for it.
   */
  static String kebab(String field) {
    return ResilienceConfigs.kebab(field);
  }

  /** Where a check reports the properties it cannot accept. */
  interface Report {

    /**
     * A value the property does not accept.
     *
     * @param property the property's full name, as a user writes it
     * @param bound the bound value as text, shown when the written value cannot be found
     * @param allowed what the property accepts, phrased to follow "must be"
     */
    void invalidValue(String property, String bound, String allowed);

    /**
     * A property that is wrong for another reason than its value's range.
     *
     * @param reason what is wrong
     * @param fix what to do about it
     */
    void add(String property, String bound, String reason, String fix);
  }
}
