package dev.resilience.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
    classes = WebAnswersApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.rate-limiter.capacity-per-second=0.5",
      "resilience.rate-limiter.burst=2",
      "resilience.rate-limiter.max-wait=0s",
      "resilience.breaker.cooldown=30s"
    })
class WebAnswersTest {

  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }
  }

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  private RestClient http;

  @BeforeEach
  void setUp() {
    http = RestClient.create("http://localhost:" + port);
    registry.circuitBreaker("pricing").reset();
  }

  private Answer get(String path) {
    return http.get()
        .uri(path)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    new String(response.getBody().readAllBytes())));
  }

  @Test
  void aRateLimitedCallIsA429ProblemWithRetryAfterAndRateLimitHeaders() {
    assertThat(get("/quotes/BTC").status()).isEqualTo(200);
    assertThat(get("/quotes/BTC").status()).isEqualTo(200);

    Answer limited = get("/quotes/BTC");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(limited.headers().getFirst("Retry-After")).isIn("1", "2");
    assertThat(limited.headers().getFirst("RateLimit-Policy")).isEqualTo("\"quote\";q=2;w=4");
    assertThat(limited.headers().getFirst("RateLimit")).matches("\"quote\";r=0;t=[12]");
    JsonNode body = limited.json();
    assertThat(body.get("status").asInt()).isEqualTo(429);
    assertThat(body.get("title").asString()).isEqualTo("Too Many Requests");
    assertThat(body.get("endpoint").asString()).isEqualTo("quote");
    assertThat(body.get("retryAfterMs").asLong()).isBetween(1L, 2000L);
    assertThat(body.has("breaker")).isFalse();
  }

  @Test
  void aCallRejectedByAnOpenBreakerIsA503ProblemNamingTheBreaker() {
    registry.circuitBreaker("pricing").forceOpen();

    Answer rejected = get("/quotes/ETH");

    assertThat(rejected.status()).isEqualTo(503);
    assertThat(rejected.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(rejected.headers().getFirst("Retry-After")).isEqualTo("30");
    assertThat(rejected.headers().getFirst("RateLimit-Policy")).isEqualTo("\"quote\";q=2;w=4");
    assertThat(rejected.headers().getFirst("RateLimit")).startsWith("\"quote\";r=");
    JsonNode body = rejected.json();
    assertThat(body.get("status").asInt()).isEqualTo(503);
    assertThat(body.get("endpoint").asString()).isEqualTo("quote");
    assertThat(body.get("breaker").asString()).isEqualTo("pricing");
    assertThat(body.get("retryAfterMs").asLong()).isEqualTo(30_000L);
  }

  @Test
  void theApplicationsOwnHandlerWinsOverOurs() {
    get("/own/BTC");
    get("/own/BTC");

    Answer own = get("/own/BTC");

    assertThat(own.status()).isEqualTo(418);
    assertThat(own.body()).isEqualTo("own handler for own_quote");
  }

  @Test
  void whenSwitchedOffOrNotAServletAppThenNoHandlerIsRegistered() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ResilienceAutoConfiguration.class, ResilienceWebAutoConfiguration.class))
        .withPropertyValues("resilience.web.problem-details=false")
        .run(context -> assertThat(context).doesNotHaveBean(ResilienceExceptionHandler.class));
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ResilienceAutoConfiguration.class, ResilienceWebAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(ResilienceExceptionHandler.class));
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ResilienceAutoConfiguration.class, ResilienceWebAutoConfiguration.class))
        .run(context -> assertThat(context).hasSingleBean(ResilienceExceptionHandler.class));
  }

  @Test
  void aUserHandlerBeanReplacesOurs() {
    ResilienceExceptionHandler own = new ResilienceExceptionHandler(registry);
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ResilienceAutoConfiguration.class, ResilienceWebAutoConfiguration.class))
        .withBean(ResilienceExceptionHandler.class, () -> own)
        .run(
            context ->
                assertThat(context.getBeansOfType(ResilienceExceptionHandler.class).values())
                    .containsExactly(own));
  }
}
