package dev.resilience.spring.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.ResilienceRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpClientErrorException;

/** With {@code honor-retry-after: false}, a 429's {@code Retry-After} pauses nothing. */
@SpringBootTest(
    classes = PacedApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.rate-limiter.honor-retry-after=false",
      "resilience.rate-limiter.max-wait=0ms",
      "resilience.breaker.fail-threshold=100"
    })
class DownstreamPacingDisabledHttpTest {

  @LocalServerPort int port;

  @Autowired PacedApplication.Downstream downstream;

  @Autowired PacedApplication.Client client;

  @Autowired ResilienceRegistry registry;

  @Test
  void whenRetryAfterIsNotHonouredThenEvery429ReachesTheDownstream() {
    String url = "http://localhost:" + port + "/downstream/seconds";
    for (int i = 0; i < 3; i++) {
      assertThatExceptionOfType(HttpClientErrorException.TooManyRequests.class)
          .isThrownBy(() -> client.seconds(url));
    }

    assertThat(downstream.hits("seconds")).isEqualTo(3);
    assertThat(registry.guards().get("seconds").downstreamPauseNanos()).isZero();
  }
}
