package dev.resilience.spring.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.RateLimitedException;
import dev.resilience.core.ResilienceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Downstream pacing over real HTTP: a 429 that asks for a pause, in any of its header forms, holds
 * the endpoint's bucket empty, so the next calls are rejected here and never reach the downstream;
 * the actuator dates the pause and Prometheus counts it.
 */
@SpringBootTest(
    classes = PacedApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=resilience,prometheus",
      "resilience.rate-limiter.max-wait=0ms",
      "resilience.breaker.fail-threshold=100"
    })
class DownstreamPacingHttpTest {

  @LocalServerPort int port;

  @Autowired PacedApplication.Downstream downstream;

  @Autowired PacedApplication.Client client;

  @Autowired ResilienceRegistry registry;

  private RestClient http;

  @BeforeEach
  void setUp() {
    http = RestClient.create("http://localhost:" + port);
  }

  private String url(String form) {
    return "http://localhost:" + port + "/downstream/" + form;
  }

  /** Calls once into the 429, then twice more at once: both are held back here. */
  private void assertPausedAfterOne429(
      Function<String, String> call, String form, Duration atLeast, Duration atMost) {
    assertThatExceptionOfType(HttpClientErrorException.TooManyRequests.class)
        .isThrownBy(() -> call.apply(url(form)));

    for (int i = 0; i < 2; i++) {
      assertThatExceptionOfType(RateLimitedException.class)
          .isThrownBy(() -> call.apply(url(form)))
          .satisfies(
              e -> assertThat(e.retryAfter()).isGreaterThan(atLeast).isLessThanOrEqualTo(atMost));
    }
    assertThat(downstream.hits(form)).as("calls the downstream saw").isEqualTo(1);
  }

  @Test
  void whenTheDownstreamAnswers429WithRetryAfterSecondsThenNoCallReachesItBeforeThen()
      throws InterruptedException {
    assertPausedAfterOne429(
        client::seconds, "seconds", Duration.ofSeconds(1), Duration.ofSeconds(2));

    Thread.sleep(2_100);
    assertThatExceptionOfType(HttpClientErrorException.TooManyRequests.class)
        .isThrownBy(() -> client.seconds(url("seconds")));
    assertThat(downstream.hits("seconds")).as("after the pause, the next call goes").isEqualTo(2);
  }

  @Test
  void whenTheDownstreamAnswers429WithARateLimitFieldThenItsResetTimeHoldsTheBucket() {
    assertPausedAfterOne429(
        client::rateLimit, "rate-limit", Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void whenTheDownstreamAnswers429WithAnHttpDateThenTheBucketIsHeldUntilThatDate() {
    // the date is to the second: a pause of 2 to 3 s
    assertPausedAfterOne429(client::date, "date", Duration.ofSeconds(1), Duration.ofSeconds(3));
  }

  @Test
  void whenA429CarriesNoPauseThenTheBucketIsNotHeld() {
    for (int i = 0; i < 3; i++) {
      assertThatExceptionOfType(HttpClientErrorException.TooManyRequests.class)
          .isThrownBy(() -> client.bare(url("bare")));
    }

    assertThat(downstream.hits("bare")).isEqualTo(3);
    assertThat(registry.guards().get("bare").downstreamPauseNanos()).isZero();
  }

  @Test
  void whilePausedTheActuatorDatesTheEndOfThePauseAndPrometheusCountsIt() {
    Instant before = Instant.now();
    assertPausedAfterOne429(
        client::actuated, "seconds-actuated", Duration.ofSeconds(1), Duration.ofSeconds(2));

    JsonNode limiter =
        JsonMapper.builder()
            .build()
            .readTree(http.get().uri("/actuator/resilience/actuated").retrieve().body(String.class))
            .get("rateLimiter");
    Instant pausedUntil = Instant.parse(limiter.get("pausedUntil").asString());
    assertThat(pausedUntil).isBetween(before.plusSeconds(2), Instant.now().plusSeconds(2));
    String scrape = http.get().uri("/actuator/prometheus").retrieve().body(String.class);
    assertThat(scrape.lines())
        .contains("resilience_rate_limit_downstream_pauses_total{endpoint=\"actuated\"} 1.0");
    JsonNode notPaused =
        JsonMapper.builder()
            .build()
            .readTree(http.get().uri("/actuator/resilience/bare").retrieve().body(String.class))
            .get("rateLimiter");
    assertThat(notPaused.has("pausedUntil")).isFalse();
  }
}
