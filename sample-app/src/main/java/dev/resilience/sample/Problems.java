package dev.resilience.sample;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The app's error answers, written once for the trading API and the chaos switch: a reason that
 * names what was wrong and how to fix it, and never more than {@value #ECHO_LIMIT} characters of
 * what the caller sent, so that a huge input does not come back as a huge answer.
 */
public final class Problems {

  /** The most characters of a caller's input that an answer repeats. */
  public static final int ECHO_LIMIT = 40;

  /** The most characters of the request's path that an answer repeats. */
  public static final int PATH_LIMIT = 100;

  private Problems() {}

  /**
   * A {@code problem+json} answer about this request. Its {@code instance} is the request's path,
   * capped: left unset, Spring would repeat the whole path, and an id in it may be huge.
   */
  public static ProblemDetail problem(
      int status, String title, String detail, HttpServletRequest request) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
    problem.setTitle(title);
    problem.setInstance(instance(request));
    return problem;
  }

  /** The caller's input as an answer may repeat it: its first {@value #ECHO_LIMIT} characters. */
  public static String echo(String input) {
    return input.length() <= ECHO_LIMIT ? input : input.substring(0, ECHO_LIMIT) + "…";
  }

  /**
   * Every field that failed validation with its message, e.g. {@code "side must be BUY or SELL"},
   * sorted, each once (two constraints of one field may share a message), joined by {@code "; "}.
   */
  public static String invalidFields(MethodArgumentNotValidException invalid) {
    return invalid.getBindingResult().getFieldErrors().stream()
        .map(error -> error.getField() + " " + error.getDefaultMessage())
        .distinct()
        .sorted()
        .collect(Collectors.joining("; "));
  }

  /**
   * Why a body could not be read as a {@code type}: an unknown field (named, capped), a field of
   * the wrong type (named: only known fields get that far), or not JSON of that shape at all. The
   * parser's own message is never repeated: it quotes the input and names our classes.
   *
   * @param name what the body is, e.g. {@code order}
   * @param type the record the body binds to; its components are the fields a caller may send
   * @param example a valid body to show
   */
  public static String unreadableBody(
      HttpMessageNotReadableException unreadable,
      String name,
      Class<? extends Record> type,
      String example) {
    List<String> fields =
        Arrays.stream(type.getRecordComponents()).map(component -> component.getName()).toList();
    Throwable cause = unreadable.getCause();
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '"
          + echo(unknown.getPropertyName())
          + "': "
          + article(name)
          + " "
          + name
          + " has only "
          + listed(fields);
    }
    if (cause instanceof MismatchedInputException mismatch) {
      String field = topLevelField(mismatch);
      if (field != null && fields.contains(field)) {
        // a primitive component missing or null (Jackson 3 refuses both) is met at null or at the
        // end
        JsonToken token = mismatch.getCurrentToken();
        boolean absent =
            token == null || token == JsonToken.VALUE_NULL || token == JsonToken.END_OBJECT;
        return field
            + (absent ? " must be given" : " has the wrong type")
            + ": send JSON like "
            + example;
      }
    }
    return "the body is not a valid " + name + ": send JSON like " + example;
  }

  /**
   * A request's path as sent (percent-encoded) as an answer may repeat it: its first {@value
   * #PATH_LIMIT} characters, then {@code ...} (ASCII, so that it stays a URI). An escape such as
   * {@code %2F} is not cut in half.
   */
  public static String echoPath(String path) {
    if (path.length() <= PATH_LIMIT) {
      return path;
    }
    int end = PATH_LIMIT;
    int escape = path.lastIndexOf('%', end - 1);
    if (escape > end - 3) {
      end = escape;
    }
    return path.substring(0, end) + "...";
  }

  private static URI instance(HttpServletRequest request) {
    String path = echoPath(request.getRequestURI());
    try {
      return new URI(path);
    } catch (URISyntaxException notAUri) {
      // Tomcat refuses such paths before they get here; should one pass, quote it rather than fail
      return URI.create("/" + URLEncoder.encode(path.substring(1), StandardCharsets.UTF_8));
    }
  }

  private static @Nullable String topLevelField(JacksonException error) {
    List<JacksonException.Reference> path = error.getPath();
    return path.isEmpty() ? null : path.get(0).getPropertyName();
  }

  // the two names in this app, "order" and "chaos setting", need nothing subtler
  private static String article(String name) {
    return "aeiou".indexOf(name.charAt(0)) >= 0 ? "an" : "a";
  }

  private static String listed(List<String> names) {
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " and "
        + names.get(names.size() - 1);
  }
}
