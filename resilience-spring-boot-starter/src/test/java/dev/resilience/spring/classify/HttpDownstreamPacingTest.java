package dev.resilience.spring.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.DownstreamPacing;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** The header forms a 429 names its pause in, and what asks for none. */
class HttpDownstreamPacingTest {

  private static final long SECOND = 1_000_000_000L;

  /** Wed, 21 Oct 2026 07:28:00 GMT. */
  private final HttpDownstreamPacing pacing =
      new HttpDownstreamPacing(Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC));

  private static HttpClientErrorException tooManyRequests(String name, String value) {
    HttpHeaders headers = new HttpHeaders();
    headers.add(name, value);
    return HttpClientErrorException.create(
        HttpStatusCode.valueOf(429),
        "Too Many Requests",
        headers,
        new byte[0],
        StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Retry-After | 2 | 2000000000",
        "Retry-After | ' 7 ' | 7000000000",
        "Retry-After | Wed, 21 Oct 2026 07:28:03 GMT | 3000000000",
        "Retry-After | 86400 | 3600000000000",
        "Retry-After | 99999999999999999999 | 3600000000000",
        "RateLimit | '\"orders\";r=0;t=2' | 2000000000",
        "RateLimit | '\"burst\";r=5;t=1, \"daily\";r=0;t=30' | 30000000000",
        "RateLimit | '\"a,b\";r=0;t=4' | 4000000000",
        "RateLimit | '\"orders\";t=9' | 9000000000",
      })
  void whenA429NamesAPauseThenItIsRead(String header, String value, long nanos) {
    assertThat(pacing.pauseNanos(tooManyRequests(header, value))).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Retry-After | 0",
        "Retry-After | -3",
        "Retry-After | soon",
        "Retry-After | 2.5",
        "Retry-After | Wed, 21 Oct 2026 07:27:00 GMT",
        "Retry-After | ''",
        "RateLimit | '\"orders\";r=3;t=2'",
        "RateLimit | '\"orders\";r=0;t=-2'",
        "RateLimit | '\"orders\";r=0'",
        "X-Other | 5",
      })
  void whenA429NamesNoUsablePauseThenNoneIsAskedFor(String header, String value) {
    assertThat(pacing.pauseNanos(tooManyRequests(header, value))).isEqualTo(DownstreamPacing.NONE);
  }

  @Test
  void retryAfterComesBeforeTheRateLimitField() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("Retry-After", "5");
    headers.add("RateLimit", "\"orders\";r=0;t=2");
    HttpClientErrorException error =
        HttpClientErrorException.create(
            HttpStatusCode.valueOf(429), "Too Many Requests", headers, new byte[0], null);

    assertThat(pacing.pauseNanos(error)).isEqualTo(5 * SECOND);
  }

  @Test
  void onlyA429IsReadAndCausesAreLookedThrough() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("Retry-After", "5");
    HttpServerErrorException unavailable =
        HttpServerErrorException.create(
            HttpStatusCode.valueOf(503), "Service Unavailable", headers, new byte[0], null);

    assertThat(pacing.pauseNanos(unavailable)).isEqualTo(DownstreamPacing.NONE);
    assertThat(pacing.pauseNanos(new CompletionException(tooManyRequests("Retry-After", "3"))))
        .isEqualTo(3 * SECOND);
    assertThat(pacing.pauseNanos(new IllegalStateException("no HTTP answer")))
        .isEqualTo(DownstreamPacing.NONE);
  }

  @Test
  void aWebClientsAnswerIsReadToo() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("Retry-After", "4");
    WebClientResponseException error =
        WebClientResponseException.create(429, "Too Many Requests", headers, new byte[0], null);

    assertThat(pacing.pauseNanos(error)).isEqualTo(4 * SECOND);
  }
}
