package dev.resilience.spring.inbound;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelEvaluationException;
import org.springframework.expression.spel.SpelMessage;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

/**
 * What tells the clients of a rule apart, as its {@code key} setting says: {@code ip}, {@code
 * header:<name>}, {@code principal}, or a SpEL expression over the request, parsed once.
 */
final class KeySpec {

  enum Kind {
    IP,
    HEADER,
    PRINCIPAL,
    EXPRESSION
  }

  private static final SpelExpressionParser PARSER =
      new SpelExpressionParser(new SpelParserConfiguration(SpelCompilerMode.MIXED, null));

  /**
   * Read-only access to the root's properties and its {@code header(name)}; no types, no
   * constructors, no beans: the expression reads the request and nothing else.
   */
  private static final EvaluationContext CONTEXT =
      SimpleEvaluationContext.forReadOnlyDataBinding().withInstanceMethods().build();

  private final Kind kind;
  private final String text;
  private final @Nullable String header;
  private final @Nullable Expression expression;

  private KeySpec(
      Kind kind, String text, @Nullable String header, @Nullable Expression expression) {
    this.kind = kind;
    this.text = text;
    this.header = header;
    this.expression = expression;
  }

  /**
   * Reads a {@code key} setting.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static KeySpec parse(String text) {
    String key = text.trim();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the key is empty");
    }
    if (key.equals("ip")) {
      return new KeySpec(Kind.IP, key, null, null);
    }
    if (key.equals("principal")) {
      return new KeySpec(Kind.PRINCIPAL, key, null, null);
    }
    if (key.startsWith("header:")) {
      String name = key.substring("header:".length()).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("'header:' names no header");
      }
      if (!name.chars().allMatch(KeySpec::isTokenChar)) {
        throw new IllegalArgumentException("'" + name + "' is not a header name");
      }
      return new KeySpec(Kind.HEADER, key, name, null);
    }
    Expression expression;
    try {
      expression = PARSER.parseExpression(key);
    } catch (ParseException e) {
      throw new IllegalArgumentException("the SpEL expression does not parse: " + e.getMessage());
    }
    // Names are only resolved when evaluated: try it once on a sample request, so that a typo
    // (princpal) fails start-up rather than every request.
    try {
      expression.getValue(CONTEXT, KeyRoot.SAMPLE);
    } catch (SpelEvaluationException e) {
      if (e.getMessageCode() == SpelMessage.PROPERTY_OR_FIELD_NOT_READABLE
          || e.getMessageCode() == SpelMessage.METHOD_NOT_FOUND) {
        Object[] inserts = e.getInserts();
        throw new IllegalArgumentException(
            "the SpEL expression reads '"
                + (inserts.length > 0 ? inserts[0] : e.getMessage())
                + "', which a request does not have; it may read method, path, ip, principal and"
                + " header('Name')");
      }
    } catch (RuntimeException e) {
      // Anything else depends on the request's values: evaluated per request, never at start-up.
    }
    return new KeySpec(Kind.EXPRESSION, key, null, expression);
  }

  Kind kind() {
    return kind;
  }

  @Nullable String header() {
    return header;
  }

  /** What a request must carry, in words, for the 400 answer: "the X-Api-Key header". */
  String describeMissing() {
    return switch (kind) {
      case IP -> "the client's address";
      case HEADER -> "the " + header + " header";
      case PRINCIPAL -> "an authenticated user";
      case EXPRESSION -> "the request data its key is made of";
    };
  }

  /** Evaluates the expression; null when it gives null or fails on this request. */
  @Nullable String evaluate(KeyRoot root) {
    Object value = Objects.requireNonNull(expression).getValue(CONTEXT, root);
    return value == null ? null : value.toString();
  }

  private static boolean isTokenChar(int c) {
    return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
