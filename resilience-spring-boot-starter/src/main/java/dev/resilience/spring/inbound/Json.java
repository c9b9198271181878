package dev.resilience.spring.inbound;

/**
 * JSON strings for the problem bodies, written by hand so that the filter needs no JSON library.
 */
final class Json {

  private Json() {}

  /** The text as a JSON string, quotes included. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
