package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Collects the wrong properties of one start-up, each with its value as the user wrote it: the
 * bound value of {@code -10s} is {@code PT-10S}, which the user never typed and may not recognise.
 * One problem per property; the first found wins.
 */
final class Problems implements ResiliencePropertiesCheck.Report {

  private final Iterable<ConfigurationPropertySource> sources;
  private final Map<String, Problem> byProperty = new LinkedHashMap<>();

  /** Problems whose values are looked up in the environment's property sources. */
  Problems(Environment environment) {
    this.sources = ConfigurationPropertySources.get(environment);
  }

  /** Problems reported with their bound values, where no environment is at hand. */
  Problems() {
    this.sources = List.of();
  }

  /**
   * A value the property does not accept.
   *
   * @param property the property's full name
   * @param bound the bound value as text, shown when the written value cannot be found
   * @param allowed what the property accepts, phrased to follow "must be"
   */
  @Override
  public void invalidValue(String property, String bound, String allowed) {
    add(property, bound, "must be " + allowed, "set it to " + allowed);
  }

  /**
   * A property that is wrong for another reason than its value's range (an unknown key or code).
   *
   * @param reason what is wrong
   * @param fix what to do about it
   */
  @Override
  public void add(String property, String bound, String reason, String fix) {
    if (byProperty.containsKey(property)) {
      return;
    }
    ConfigurationProperty written = find(property);
    if (written != null && written.getValue() != null) {
      add(property, written, reason, fix);
    } else {
      byProperty.put(property, new Problem(property, bound, origin(written), reason, fix));
    }
  }

  /**
   * A property found in a source, as that source holds it.
   *
   * @param property the name as written, e.g. {@code ...endpoint-overrides.place_order.brust}: the
   *     binder's own form of the name drops the underscore
   */
  void add(String property, ConfigurationProperty found, String reason, String fix) {
    byProperty.putIfAbsent(
        property,
        new Problem(property, String.valueOf(found.getValue()), origin(found), reason, fix));
  }

  /** Stops start-up with every problem collected, if there is one. */
  void throwIfAny() {
    if (!byProperty.isEmpty()) {
      throw new InvalidResiliencePropertiesException(new ArrayList<>(byProperty.values()));
    }
  }

  /**
   * The entry for the property in the source the binder takes it from. An element of a list comes
   * from the highest source that holds the list at all, as the binder takes a list whole from one
   * source: when the command line sets {@code paths=/a/{x}}, the YAML's {@code paths[0]} is not
   * what was bound, and the command line's whole value is shown instead.
   */
  private @Nullable ConfigurationProperty find(String property) {
    // Adapted as a properties file's key is, so that place_order and IOException are found too.
    ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
    ConfigurationPropertyName list = outermostList(name);
    for (ConfigurationPropertySource source : sources) {
      ConfigurationProperty found = source.getConfigurationProperty(name);
      if (found != null) {
        return found;
      }
      if (list != null) {
        ConfigurationProperty whole = source.getConfigurationProperty(list);
        if (whole != null
            || source.containsDescendantOf(list) == ConfigurationPropertyState.PRESENT) {
          return whole;
        }
      }
    }
    return null;
  }

  /** The name up to its first index ({@code a.b} of {@code a.b[0].c}), or null if it has none. */
  private static @Nullable ConfigurationPropertyName outermostList(ConfigurationPropertyName name) {
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      if (name.isNumericIndex(i)) {
        return name.chop(i);
      }
    }
    return null;
  }

  private static @Nullable String origin(@Nullable ConfigurationProperty property) {
    Origin origin = property == null ? null : property.getOrigin();
    return origin == null ? null : origin.toString();
  }
}
