package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.actuate.ResilienceEndpoint.RateLimiterConfigDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.RateLimiterDescriptor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The endpoint's answers are written by the actuator's own JSON mapper, so an application that
 * customises its Jackson mapper (here: snake_case names) does not change what operators and their
 * scripts read.
 */
@SpringBootTest(
    classes = ResilienceEndpointJsonMapperTest.CustomisedJacksonApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=resilience",
      "management.endpoint.resilience.access=unrestricted",
      "spring.jackson.property-naming-strategy=SNAKE_CASE"
    })
class ResilienceEndpointJsonMapperTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(TradingClient.class)
  static class CustomisedJacksonApplication {}

  @LocalServerPort int port;

  @Autowired JsonMapper applicationMapper;

  private String body(String path, String json) {
    RestClient.RequestBodySpec request =
        RestClient.create("http://localhost:" + port).post().uri(path);
    return request
        .contentType(MediaType.APPLICATION_JSON)
        .body(json)
        .exchange((req, response) -> new String(response.getBody().readAllBytes()));
  }

  private String get(String path) {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri(path)
        .exchange((request, response) -> new String(response.getBody().readAllBytes()));
  }

  @Test
  void whenTheApplicationsMapperIsCustomisedThenItWouldWriteTheDescriptorsDifferently() {
    RateLimiterDescriptor bucket =
        new RateLimiterDescriptor(
            16.0,
            null,
            null,
            false,
            false,
            null,
            null,
            null,
            false,
            new RateLimiterConfigDescriptor(8.0, 16, 1_000L),
            null);

    assertThat(applicationMapper.writeValueAsString(bucket))
        .isEqualTo(
            "{\"available_tokens\":16.0,\"allowlist\":false,\"keyed\":false,\"overridden\":false,"
                + "\"config\":{\"capacity_per_second\":8.0,\"burst\":16,\"max_wait_ms\":1000}}");
  }

  @Test
  void whenTheApplicationsMapperIsCustomisedThenTheEndpointAnswersTheSameJson() {
    assertThat(get("/actuator/resilience"))
        .startsWith(
            "{\"breakers\":{\"exchange\":{\"state\":\"CLOSED\",\"forced\":false,\"since\":\"")
        .contains(
            ",\"failuresInWindow\":0.0,\"callsInWindow\":0,\"failureCodes\":{},\"retryAfterMs\":0,"
                + "\"endpoints\":[\"cancel_order\",\"health\",\"place_order\"],")
        .contains(
            "\"rateLimiters\":{\"cancel_order\":{\"availableTokens\":16.0,\"breaker\":\"exchange\",");
    assertThat(get("/actuator/resilience/place_order"))
        .isEqualTo(
            "{\"rateLimiter\":{\"availableTokens\":16.0,\"breaker\":\"exchange\",\"allowlist\":false,\"keyed\":false,"
                + "\"overridden\":false,\"config\":{\"capacityPerSecond\":8.0,\"burst\":16,\"maxWaitMs\":1000}}}");
    assertThat(get("/actuator/resilience/exchange"))
        .startsWith("{\"breaker\":{\"state\":\"CLOSED\",\"forced\":false,\"since\":\"")
        .contains(
            "\"config\":{\"windowMs\":60000,\"failThreshold\":10,\"cooldownMs\":30000,\"minDwellMs\":30000,"
                + "\"probeCount\":1,\"minimumCalls\":20,\"weights\":{}}");
    assertThat(body("/actuator/resilience/nope", "{\"action\":\"open\"}"))
        .isEqualTo("{\"message\":\"No circuit breaker is named 'nope'\"}");
    assertThat(body("/actuator/resilience/exchange", "{}"))
        .isEqualTo(
            "{\"message\":\"No action: the body must be {\\\"action\\\": \\\"open\\\"|\\\"close\\\"|\\\"reset\\\"|\\\"limit\\\"|\\\"restore\\\"}\","
                + "\"allowedActions\":[\"open\",\"close\",\"reset\",\"limit\",\"restore\"]}");
  }
}
