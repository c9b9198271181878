package dev.resilience.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.IgnoreErrorsBindHandler;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Finds every property under {@code resilience} that binds to nothing, and names the key it was
 * probably meant to be.
 *
 * <p>Spring Boot's {@link NoUnboundElementsBindHandler} finds them (with relaxed names, indexes and
 * bracketed map keys understood as the binder understands them) and reports all of them at once. It
 * runs in a second, throw-away binding rather than through {@code ignoreUnknownFields = false}, so
 * that unknown keys are reported in the same failure as bad values. Unlike that flag, it also
 * checks environment variables and system properties: {@code RESILIENCE_BREAKER_FAILTRESHOLD} is as
 * silently ignored as a typo in a file.
 */
final class ResilienceKeys {

  private ResilienceKeys() {}

  static void checkNoUnknownKeys(Environment environment, Problems problems) {
    try {
      Binder.get(environment)
          .bind(
              ResilienceConfigs.PREFIX,
              Bindable.ofInstance(new ResilienceProperties()),
              // Bad values are not this binding's business: the real one has bound them already.
              new NoUnboundElementsBindHandler(new IgnoreErrorsBindHandler()));
    } catch (BindException e) {
      if (!(e.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
        throw e;
      }
      for (ConfigurationProperty property : unbound.getUnboundProperties()) {
        Unknown unknown = walk(property.getName());
        if (unknown != null) {
          problems.add(written(property.getName()), property, unknown.reason(), unknown.fix());
        } else if (!"".equals(property.getValue())) {
          problems.add(
              written(property.getName()),
              property,
              "binds to no resilience setting",
              "remove it, or write it as the reference documentation shows");
        }
      }
    }
  }

  private record Unknown(String reason, String fix) {}

  /**
   * Follows the name through the properties' types, one element at a time, until an element names
   * nothing there. Mistyped elements with a close match are corrected on the way, so that {@code
   * resilience.rate-limitter.brust} becomes {@code resilience.rate-limiter.burst}. Returns null
   * when every element names something: the property is known but bound nothing, as an empty value
   * ({@code failure-rate-threshold:} in YAML, which means "unset") does.
   */
  private static @Nullable Unknown walk(ConfigurationPropertyName name) {
    ResolvableType type = ResolvableType.forClass(ResilienceProperties.class);
    StringBuilder path = new StringBuilder(ResilienceConfigs.PREFIX);
    boolean corrected = false;
    for (int i = 1; i < name.getNumberOfElements(); i++) {
      Class<?> raw = type.toClass();
      String element = name.getElement(i, Form.ORIGINAL);
      if (Map.class.isAssignableFrom(raw)) {
        path.append('.').append(ResilienceConfigs.key(element));
        type = type.asMap().getGeneric(1);
      } else if (List.class.isAssignableFrom(raw) && name.isNumericIndex(i)) {
        path.append('[').append(element).append(']');
        type = type.asCollection().getGeneric(0);
      } else if (isGroup(raw)) {
        Map<String, ResolvableType> keys = keys(raw);
        String key = relaxed(keys.keySet(), element);
        if (key == null) {
          key = Spelling.closest(element, keys.keySet(), Spelling.RELAXED);
          if (key == null) {
            return new Unknown(
                "unknown property: '"
                    + element
                    + "' is not a key of "
                    + path
                    + ", whose keys are "
                    + String.join(", ", keys.keySet()),
                "remove it, or use one of the keys of " + path + " listed above");
          }
          corrected = true;
        }
        path.append('.').append(key);
        type = keys.get(key);
      } else {
        String takes =
            List.class.isAssignableFrom(raw) ? "a list (indexed [0], [1], ...)" : "a value";
        return new Unknown(
            "unknown property: " + path + " takes " + takes + ", not the key '" + element + "'",
            "remove it, or set " + path + " itself");
      }
    }
    return corrected
        ? new Unknown("unknown property; did you mean " + path + "?", "rename it to " + path)
        : null;
  }

  /**
   * The name with each element as the source spelled it: the binder's {@code toString()} drops the
   * underscore of {@code place_order} and the case of {@code IOException}.
   */
  static String written(ConfigurationPropertyName name) {
    StringBuilder written = new StringBuilder();
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      String element = name.getElement(i, Form.ORIGINAL);
      if (name.isNumericIndex(i)) {
        written.append('[').append(element).append(']');
      } else {
        written
            .append(i == 0 ? "" : ".")
            .append(element.contains(".") ? "[" + element + "]" : element);
      }
    }
    return written.toString();
  }

  /** Our own property classes hold keys; everything else (a Duration, a String) holds a value. */
  private static boolean isGroup(Class<?> type) {
    return type == ResilienceProperties.class
        || (type.getEnclosingClass() == ResilienceProperties.class && !type.isEnum());
  }

  /** The keys of one of our property classes, in dashed form and declaration order. */
  static List<String> keysOf(Class<?> type) {
    return List.copyOf(keys(type).keySet());
  }

  /**
   * The keys of one of our property classes, in dashed form and declaration order, with their
   * types.
   */
  private static Map<String, ResolvableType> keys(Class<?> type) {
    Map<String, ResolvableType> keys = new LinkedHashMap<>();
    for (var field : type.getDeclaredFields()) {
      PropertyDescriptor descriptor = BeanUtils.getPropertyDescriptor(type, field.getName());
      if (descriptor != null && descriptor.getReadMethod() != null) {
        keys.put(
            DataObjectPropertyName.toDashedForm(field.getName()),
            ResolvableType.forMethodReturnType(descriptor.getReadMethod()));
      }
    }
    return keys;
  }

  /** The key that {@code element} spells under relaxed binding, or null. */
  private static @Nullable String relaxed(Collection<String> keys, String element) {
    String typed = Spelling.RELAXED.apply(element);
    for (String key : keys) {
      if (Spelling.RELAXED.apply(key).equals(typed)) {
        return key;
      }
    }
    return null;
  }
}
