package dev.resilience.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one markdown table from JMH's JSON result files ({@code -rf json}): benchmark, threads,
 * ns/op with its error, the throughput of all threads together in operations per microsecond
 * ({@code threads * 1000 / ns/op}, as each thread's ns/op is its own average), and B/op from {@code
 * -prof gc}. {@code run.sh} calls it with the results of the 1-thread and 2-thread runs.
 *
 * <p>The JSON is read by a small parser of its own, so that the jar needs no JSON library.
 */
public final class Report {

  private static final String PACKAGE = Report.class.getPackageName() + '.';

  private Report() {}

  /** Reads the JSON files named by the arguments and prints their results as one table. */
  public static void main(String[] args) throws IOException {
    List<Result> results = new ArrayList<>();
    for (String file : args) {
      Object json = new JsonParser(Files.readString(Path.of(file), StandardCharsets.UTF_8)).parse();
      if (!(json instanceof List<?> runs)) {
        throw new IllegalArgumentException(file + ": not a JMH result array");
      }
      for (Object run : runs) {
        results.add(Result.of((Map<?, ?>) run));
      }
    }
    results.sort(Comparator.comparing(Result::benchmark).thenComparingInt(Result::threads));
    System.out.println("| benchmark | threads | ns/op | ops/µs | B/op |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (Result result : results) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %s | %.1f | %s |%n",
          result.benchmark,
          result.threads,
          withError(result.score, result.error),
          result.threads * 1000 / result.score,
          bytes(result.bytesPerOp));
    }
  }

  private static String withError(double score, double error) {
    String value = String.format(Locale.ROOT, "%.2f", score);
    return Double.isNaN(error)
        ? value + " ± n/a"
        : value + String.format(Locale.ROOT, " ± %.2f", error);
  }

  /** Rounds the profiler's noise (a few thousandths of a byte, from JMH's own loop) to zero. */
  private static String bytes(double bytesPerOp) {
    if (Double.isNaN(bytesPerOp)) {
      return "n/a";
    }
    return bytesPerOp < 0.5 ? "0" : String.format(Locale.ROOT, "%.0f", bytesPerOp);
  }

  /** One benchmark at one thread count. */
  private record Result(
      String benchmark, int threads, double score, double error, double bytesPerOp) {

    static Result of(Map<?, ?> run) {
      Map<?, ?> primary = (Map<?, ?>) run.get("primaryMetric");
      String unit = (String) primary.get("scoreUnit");
      if (!"ns/op".equals(unit)) {
        throw new IllegalArgumentException(
            run.get("benchmark") + ": score in " + unit + ", expected ns/op");
      }
      Map<?, ?> secondary = (Map<?, ?>) run.get("secondaryMetrics");
      Object allocation = secondary == null ? null : secondary.get("gc.alloc.rate.norm");
      String name = ((String) run.get("benchmark")).replace(PACKAGE, "");
      if (run.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
        name += " " + params; // e.g. {order=shuffled}
      }
      return new Result(
          name,
          (int) number(run.get("threads")),
          number(primary.get("score")),
          number(primary.get("scoreError")),
          allocation == null ? Double.NaN : number(((Map<?, ?>) allocation).get("score")));
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(Object value) {
      if (value instanceof Double number) {
        return number;
      }
      if (value instanceof String text) {
        return Double.parseDouble(text);
      }
      return Double.NaN;
    }
  }

  /** A recursive-descent JSON parser: objects, arrays, strings, numbers (as Double), literals. */
  private static final class JsonParser {

    private final String text;
    private int at;

    JsonParser(String text) {
      this.text = text;
    }

    Object parse() {
      Object value = value();
      skipSpace();
      if (at != text.length()) {
        throw error("trailing content");
      }
      return value;
    }

    private Object value() {
      skipSpace();
      if (at >= text.length()) {
        throw error("unexpected end");
      }
      return switch (text.charAt(at)) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> number();
      };
    }

    private Map<String, Object> object() {
      Map<String, Object> members = new LinkedHashMap<>();
      at++; // {
      skipSpace();
      if (peek('}')) {
        at++;
        return members;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        members.put(key, value());
        skipSpace();
        if (peek(',')) {
          at++;
        } else {
          expect('}');
          return members;
        }
      }
    }

    private List<Object> array() {
      List<Object> elements = new ArrayList<>();
      at++; // [
      skipSpace();
      if (peek(']')) {
        at++;
        return elements;
      }
      while (true) {
        elements.add(value());
        skipSpace();
        if (peek(',')) {
          at++;
        } else {
          expect(']');
          return elements;
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (at >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> out.append(escaped); // \" \\ \/
        }
      }
    }

    private Double number() {
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
      if (start == at) {
        throw error("unexpected character '" + text.charAt(at) + "'");
      }
      return Double.valueOf(text.substring(start, at));
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, at)) {
        throw error("expected " + word);
      }
      at += word.length();
      return value;
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private boolean peek(char c) {
      return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    private IllegalArgumentException error(String message) {
      return new IllegalArgumentException("JSON at offset " + at + ": " + message);
    }
  }
}
