package dev.resilience.spring.classify;

import dev.resilience.core.DownstreamPacing;
import dev.resilience.core.FailureClassifier;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Reads the pause a downstream asked for from its 429 answer, as Spring's HTTP clients report it
 * ({@code RestClient}, {@code RestTemplate}, and {@code WebClient} when WebFlux is present; causes
 * are looked through):
 *
 * <ul>
 *   <li>{@code Retry-After} in delta-seconds ({@code 2}) or as an HTTP date ({@code Wed, 21 Oct
 *       2026 07:28:00 GMT}, the IMF-fixdate form), first;
 *   <li>else the IETF {@code RateLimit} field ({@code "orders";r=0;t=2}): the longest {@code t} of
 *       the policies that have no quota left ({@code r=0}, or no {@code r}).
 * </ul>
 *
 * <p>Other statuses, a missing, unparsable, negative or zero value, and a date already past ask for
 * no pause; the guard cuts pauses to an hour. Only 429 is read: a 503's {@code Retry-After} is
 * about the server's health, which the breaker already judges.
 */
public final class HttpDownstreamPacing implements DownstreamPacing {

  private static final boolean SPRING_WEB =
      ClassUtils.isPresent("org.springframework.web.client.RestClientResponseException", null);
  private static final boolean WEBFLUX =
      ClassUtils.isPresent(
          "org.springframework.web.reactive.function.client.WebClientResponseException", null);

  private static final int TOO_MANY_REQUESTS = 429;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long MAX_SECONDS = MAX_PAUSE_NANOS / NANOS_PER_SECOND;

  private final Clock clock;

  /** Creates the pacing that reads HTTP dates by the system clock. */
  public HttpDownstreamPacing() {
    this(Clock.systemUTC());
  }

  HttpDownstreamPacing(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public long pauseNanos(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < FailureClassifier.MAX_CAUSES; depth++) {
      HttpHeaders headers = tooManyRequestsHeaders(t);
      if (headers != null) {
        return pauseNanos(headers);
      }
      Throwable cause = t.getCause();
      t = cause == t ? null : cause;
    }
    return NONE;
  }

  /** The pause {@code headers} of a 429 ask for, or {@link #NONE}. */
  long pauseNanos(HttpHeaders headers) {
    long retryAfter = retryAfterNanos(headers.getFirst(HttpHeaders.RETRY_AFTER));
    if (retryAfter > 0) {
      return retryAfter;
    }
    List<String> rateLimit = headers.get("RateLimit");
    return rateLimit == null ? NONE : rateLimitNanos(rateLimit);
  }

  private long retryAfterNanos(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String trimmed = value.trim();
    if (isDigits(trimmed)) {
      return seconds(trimmed);
    }
    try {
      Instant date = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      long millis = date.toEpochMilli() - clock.millis();
      if (millis <= 0) {
        return NONE;
      }
      return Math.min(MAX_PAUSE_NANOS, millis * 1_000_000L);
    } catch (DateTimeException | ArithmeticException e) {
      return NONE;
    }
  }

  /** The longest {@code t} of the exhausted policies of an IETF {@code RateLimit} field. */
  private static long rateLimitNanos(List<String> fields) {
    long longest = NONE;
    for (String field : fields) {
      for (String item : split(field, ',')) {
        List<String> parts = split(item, ';');
        String remaining = null;
        String reset = null;
        for (int i = 1; i < parts.size(); i++) {
          String parameter = parts.get(i).trim();
          if (parameter.startsWith("r=")) {
            remaining = parameter.substring(2);
          } else if (parameter.startsWith("t=")) {
            reset = parameter.substring(2);
          }
        }
        if (reset != null && (remaining == null || remaining.equals("0")) && isDigits(reset)) {
          longest = Math.max(longest, seconds(reset));
        }
      }
    }
    return longest;
  }

  /** Splits on {@code separator} outside quoted strings (policy names are quoted). */
  private static List<String> split(String value, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(value.substring(start));
    return parts;
  }

  private static boolean isDigits(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whole seconds as nanoseconds, cut to the longest pause; 0 asks for none. */
  private static long seconds(String digits) {
    if (digits.length() > 12) {
      return MAX_PAUSE_NANOS;
    }
    long seconds = Long.parseLong(digits);
    return seconds <= 0 ? NONE : Math.min(seconds, MAX_SECONDS) * NANOS_PER_SECOND;
  }

  private static @Nullable HttpHeaders tooManyRequestsHeaders(Throwable t) {
    HttpHeaders headers = SPRING_WEB ? SpringWeb.headers(t) : null;
    if (headers == null && WEBFLUX) {
      headers = WebFlux.headers(t);
    }
    return headers;
  }

  /** Kept apart so that it loads only when spring-web is on the class path. */
  private static final class SpringWeb {

    static @Nullable HttpHeaders headers(Throwable t) {
      if (t instanceof RestClientResponseException e
          && e.getStatusCode().value() == TOO_MANY_REQUESTS) {
        HttpHeaders headers = e.getResponseHeaders();
        return headers == null ? new HttpHeaders() : headers;
      }
      return null;
    }
  }

  /** Kept apart so that it loads only when WebFlux is on the class path. */
  private static final class WebFlux {

    static @Nullable HttpHeaders headers(Throwable t) {
      return t instanceof WebClientResponseException e
              && e.getStatusCode().value() == TOO_MANY_REQUESTS
          ? e.getHeaders()
          : null;
    }
  }
}
