package dev.resilience.spring.inbound;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

/**
 * One of a rule's path patterns, matched as cheaply as it can be: most rules name a literal path
 * ({@code /login}) or everything under one ({@code /orders/**}), which a plain path (no {@code %},
 * no {@code ;}: its raw form is its decoded form) matches by comparing strings, without parsing it
 * into a {@link PathContainer} (about 270 bytes and 50 ns a request). Any other pattern, or any
 * other path, goes to Spring's {@link PathPattern}, whose answer this always equals.
 */
final class PathMatch {

  private enum Shape {
    /** A literal path: equal, or no match. */
    LITERAL,
    /** {@code <literal>/**}: the literal itself, or anything under it. */
    UNDER,
    /** Anything else: a literal prefix rules paths out, the pattern decides. */
    PATTERN
  }

  private final PathPattern pattern;
  private final Shape shape;
  private final String literal;
  private final String under;

  private PathMatch(PathPattern pattern) {
    this.pattern = pattern;
    String text = pattern.getPatternString();
    int wild = firstWildcard(text);
    if (wild < 0) {
      shape = Shape.LITERAL;
      literal = text;
    } else if (wild == text.length() - 2 && text.endsWith("/**")) {
      shape = Shape.UNDER;
      literal = text.substring(0, text.length() - 3);
    } else {
      shape = Shape.PATTERN;
      // whole segments only: /orders/** matches /orders, so the prefix stops before the slash
      literal = text.substring(0, Math.max(0, text.lastIndexOf('/', wild)));
    }
    under = literal + '/';
  }

  static PathMatch of(PathPattern pattern) {
    return new PathMatch(pattern);
  }

  /**
   * Whether the path matches.
   *
   * @param raw the path within the application as sent
   * @param plain whether {@code raw} has neither {@code %} nor {@code ;}, so reads as decoded
   * @param request whose {@link InboundRequest#path() parsed path} is asked for only when strings
   *     cannot decide
   */
  boolean matches(String raw, boolean plain, InboundRequest request) {
    if (!plain) {
      return pattern.matches(request.path());
    }
    return switch (shape) {
      case LITERAL -> raw.equals(literal);
      case UNDER -> raw.startsWith(under) || raw.equals(literal);
      case PATTERN -> raw.startsWith(literal) && pattern.matches(request.path());
    };
  }

  private static int firstWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?' || c == '{' || c == '\\') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return pattern.getPatternString();
  }
}
