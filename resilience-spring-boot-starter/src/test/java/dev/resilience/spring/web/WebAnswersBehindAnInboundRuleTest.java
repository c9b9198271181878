package dev.resilience.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

/**
 * A guarded endpoint's rejection behind an inbound rule that writes its own rate-limit headers: the
 * answer lists both policies, the rule's and the endpoint's, in one consistent pair of headers,
 * rather than one policy's {@code RateLimit} beside the other's {@code RateLimit-Policy}.
 */
@SpringBootTest(
    classes = WebAnswersApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.rate-limiter.capacity-per-second=0.5",
      "resilience.rate-limiter.burst=2",
      "resilience.rate-limiter.max-wait=0s",
      "resilience.inbound.rules.clients.paths=/quotes/**",
      "resilience.inbound.rules.clients.limits[0].quota=100",
      "resilience.inbound.rules.clients.limits[0].window=1s"
    })
class WebAnswersBehindAnInboundRuleTest {

  @LocalServerPort int port;

  private HttpHeaders get(String path) {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri(path)
        .exchange((request, response) -> response.getHeaders());
  }

  @Test
  void whenTheEndpointRejectsThenTheAnswerListsTheRulesPolicyAndTheEndpoints() {
    get("/quotes/BTC");
    get("/quotes/BTC");

    HttpHeaders limited = get("/quotes/BTC");

    assertThat(limited.get("RateLimit-Policy"))
        .containsExactly("\"clients\";q=100;w=1, \"quote\";q=2;w=4");
    assertThat(limited.get("RateLimit")).hasSize(1);
    assertThat(limited.getFirst("RateLimit"))
        .matches("\"clients\";r=9[0-9];t=0, \"quote\";r=0;t=[12]");
  }
}
