package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;

/**
 * The README's readiness configuration: with {@code resilience} in the readiness group and {@code
 * down-when-open}, a Kubernetes readiness probe takes the instance out while a breaker is OPEN, and
 * puts it back once the breaker is reset.
 */
@SpringBootTest(
    classes = ReadinessHttpTest.ProbedApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoint.health.probes.enabled=true",
      "management.endpoint.health.group.readiness.include=readinessState,resilience",
      "resilience.health.down-when-open=true"
    })
class ReadinessHttpTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(TradingClient.class)
  static class ProbedApplication {}

  record Answer(int status, String body) {}

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @BeforeEach
  void setUp() {
    registry.circuitBreaker("exchange").reset();
  }

  private Answer readiness() {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri("/actuator/health/readiness")
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    new String(response.getBody().readAllBytes())));
  }

  @Test
  void whenABreakerIsOpenThenReadinessIs503DownAndAfterResetItIs200Up() {
    assertThat(readiness()).isEqualTo(new Answer(200, "{\"status\":\"UP\"}"));

    registry.circuitBreaker("exchange").forceOpen();

    assertThat(readiness()).isEqualTo(new Answer(503, "{\"status\":\"DOWN\"}"));

    registry.circuitBreaker("exchange").reset();

    assertThat(readiness()).isEqualTo(new Answer(200, "{\"status\":\"UP\"}"));
  }
}
