package dev.resilience.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.web.ResilienceExceptionHandler;
import dev.resilience.spring.web.ResilienceWebAutoConfiguration;
import dev.resilience.spring.web.ResilienceWebExceptionHandler;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebFlux application on Tomcat gets the same 429/503 answers as an MVC one (SPEC §8, §12), over
 * real HTTP, for annotated controllers and functional routes alike.
 */
class ReactiveWebAnswersTest {

  private static ConfigurableApplicationContext context;

  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }
  }

  private RestClient http;
  private ResilienceRegistry registry;

  @BeforeAll
  static void startApplication() {
    Map<String, Object> properties =
        Map.of(
            "server.port", "0",
            "resilience.rate-limiter.capacity-per-second", "0.5",
            "resilience.rate-limiter.burst", "2",
            "resilience.rate-limiter.max-wait", "0s",
            "resilience.breaker.cooldown", "30s",
            "resilience.bulkhead.endpoint-overrides.slow_quote.max-concurrent", "1");
    context =
        new SpringApplicationBuilder(ReactiveWebAnswersApplication.class)
            .web(WebApplicationType.REACTIVE)
            .initializers(
                c ->
                    c.getEnvironment()
                        .getPropertySources()
                        .addFirst(new MapPropertySource("test", properties)))
            .run();
  }

  @AfterAll
  static void stopApplication() {
    context.close();
  }

  @BeforeEach
  void setUp() {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    http = RestClient.create("http://localhost:" + port);
    registry = context.getBean(ResilienceRegistry.class);
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
    registry.rateLimiter("quote").tryAcquire();
    registry.rateLimiter("quote").tryAcquire();

    Answer limited = get("/quotes/BTC");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(limited.headers().getFirst("Retry-After")).isIn("1", "2");
    assertThat(limited.headers().getFirst("RateLimit-Policy")).isEqualTo("\"quote\";q=2;w=4");
    assertThat(limited.headers().getFirst("RateLimit")).matches("\"quote\";r=0;t=[12]");
    JsonNode body = limited.json();
    assertThat(body.get("status").asInt()).isEqualTo(429);
    assertThat(body.get("title").asString()).isEqualTo("Too Many Requests");
    assertThat(body.get("detail").asString()).isEqualTo("Rate limit of 'quote' reached");
    assertThat(body.get("endpoint").asString()).isEqualTo("quote");
    assertThat(body.get("retryAfterMs").asLong()).isBetween(1L, 2000L);
    assertThat(body.has("breaker")).isFalse();
  }

  @Test
  void aCallRejectedByAnOpenBreakerIsA503ProblemNamingTheBreakerOnAFunctionalRouteToo() {
    registry.circuitBreaker("pricing").forceOpen();

    for (String path : new String[] {"/quotes/ETH", "/fn/quotes/ETH"}) {
      Answer rejected = get(path);

      assertThat(rejected.status()).as(path).isEqualTo(503);
      assertThat(rejected.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat(rejected.headers().getFirst("Retry-After")).isEqualTo("30");
      assertThat(rejected.headers().getFirst("RateLimit-Policy")).isEqualTo("\"quote\";q=2;w=4");
      JsonNode body = rejected.json();
      assertThat(body.get("status").asInt()).isEqualTo(503);
      assertThat(body.get("detail").asString())
          .isEqualTo("Circuit breaker 'pricing' is open: calls to 'quote' fail fast");
      assertThat(body.get("breaker").asString()).isEqualTo("pricing");
      assertThat(body.get("retryAfterMs").asLong()).isEqualTo(30_000L);
    }
  }

  @Test
  void aFullBulkheadIsA503ProblemNamingTheEndpoint() throws Exception {
    // the first call holds the only slot (it never answers); the second finds none
    Answer[] held = new Answer[1];
    Thread holder = new Thread(() -> held[0] = get("/slow/A"));
    holder.start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (registry.guards().get("slow_quote").bulkhead().inFlight() == 0
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    Answer full = get("/slow/B");

    assertThat(full.status()).isEqualTo(503);
    assertThat(full.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(full.headers().getFirst("Retry-After")).isEqualTo("1");
    JsonNode body = full.json();
    assertThat(body.get("detail").asString())
        .isEqualTo("Bulkhead of 'slow_quote' is full: 1 calls are in flight already");
    assertThat(body.get("endpoint").asString()).isEqualTo("slow_quote");
    assertThat(body.get("maxConcurrent").asInt()).isEqualTo(1);
    assertThat(body.get("retryAfterMs").asLong()).as("what Retry-After says").isEqualTo(1000);

    context.getBean(ReactiveWebAnswersApplication.QuoteService.class).release();
    holder.join(5_000);
    assertThat(held[0].status()).isEqualTo(200);
    assertThat(registry.guards().get("slow_quote").bulkhead().inFlight()).isZero();
  }

  @Test
  void theApplicationsOwnHandlerWinsOverOurs() {
    registry.rateLimiter("own_quote").tryAcquire();
    registry.rateLimiter("own_quote").tryAcquire();

    Answer own = get("/own/BTC");

    assertThat(own.status()).isEqualTo(418);
    assertThat(own.body()).isEqualTo("own handler for own_quote");
  }

  @Test
  void whenSwitchedOffThenNoHandlerIsRegistered() {
    ReactiveWebApplicationContextRunner reactive =
        new ReactiveWebApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    ResilienceAutoConfiguration.class, ResilienceWebAutoConfiguration.class));
    reactive.run(
        c -> {
          assertThat(c).hasSingleBean(ResilienceWebExceptionHandler.class);
          assertThat(c).doesNotHaveBean(ResilienceExceptionHandler.class);
        });
    reactive
        .withPropertyValues("resilience.web.problem-details=false")
        .run(c -> assertThat(c).doesNotHaveBean(ResilienceWebExceptionHandler.class));
  }
}
