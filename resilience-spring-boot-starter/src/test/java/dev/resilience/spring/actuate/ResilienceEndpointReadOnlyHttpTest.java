package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitState;
import dev.resilience.core.ResilienceRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Secure by default: an application that exposes the endpoint but does not opt in to its writes
 * ({@code management.endpoint.resilience.access: unrestricted}) can be read, and not forced.
 */
@SpringBootTest(
    classes = ResilienceEndpointReadOnlyHttpTest.ReadOnlyApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.endpoints.web.exposure.include=resilience")
class ResilienceEndpointReadOnlyHttpTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(TradingClient.class)
  static class ReadOnlyApplication {}

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  private int send(String method, String path, String json) {
    RestClient http = RestClient.create("http://localhost:" + port);
    return http.method(org.springframework.http.HttpMethod.valueOf(method))
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .body(json)
        .exchange((request, response) -> response.getStatusCode().value());
  }

  @Test
  void whenWritesAreNotOptedInThenEveryPostIsRefusedAndNothingIsForced() {
    assertThat(send("POST", "/actuator/resilience/exchange", "{\"action\":\"open\"}"))
        .isEqualTo(405);
    assertThat(send("POST", "/actuator/resilience", "{\"action\":\"open-all\"}")).isEqualTo(405);
    assertThat(
            send(
                "POST",
                "/actuator/resilience/place_order",
                "{\"action\":\"limit\",\"capacityPerSecond\":1,\"burst\":1}"))
        .isEqualTo(405);

    assertThat(registry.circuitBreaker("exchange").state()).isEqualTo(CircuitState.CLOSED);
    assertThat(registry.limitsChanged("place_order")).isFalse();
    assertThat(send("GET", "/actuator/resilience/exchange", "")).isEqualTo(200);
  }
}
