package dev.resilience.core;

import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by the configs; each failure names the field, the value and the rule. */
final class Checks {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private Checks() {}

  static Duration positive(String field, @Nullable Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidConfigException(field, String.valueOf(value), "a positive duration");
    }
    return value;
  }

  static Duration notNegative(String field, @Nullable Duration value) {
    if (value == null || value.isNegative()) {
      throw new InvalidConfigException(field, String.valueOf(value), "zero or a positive duration");
    }
    return value;
  }

  static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new InvalidConfigException(field, Integer.toString(value), "at least " + min);
    }
    return value;
  }

  static double inRange(String field, double value, double exclusiveMin, double inclusiveMax) {
    if (!(value > exclusiveMin && value <= inclusiveMax)) {
      throw new InvalidConfigException(
          field,
          Double.toString(value),
          "greater than " + plain(exclusiveMin) + " and at most " + plain(inclusiveMax));
    }
    return value;
  }

  /**
   * Checks a breaker or endpoint name: 1 to 64 of {@code [A-Za-z0-9_.-]}, so that it is safe in
   * metric tags, URLs and Redis keys.
   */
  static String name(String kind, @Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidConfigException(
          kind,
          name == null ? "null" : '"' + name + '"',
          "1 to 64 of the characters [A-Za-z0-9_.-]");
    }
    return name;
  }

  private static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
