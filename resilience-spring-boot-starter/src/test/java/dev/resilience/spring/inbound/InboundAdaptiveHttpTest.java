package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.actuate.ResilienceEndpoint;
import dev.resilience.spring.inbound.AdaptiveInboundApplications.Held;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An inbound rule's adaptive concurrency limit over real HTTP, servlet and WebFlux: requests over
 * the limit are answered 503 {@code temporary-reduced-capacity} with {@code Retry-After}, the
 * actuator's paths are never limited, a tier keeps its guaranteed share, and the limit follows the
 * requests' round-trip time (on a ticker the application moves as its requests "take" time).
 */
class InboundAdaptiveHttpTest {

  /** A running application, a client for it, and its held requests. */
  private static final class App implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final RestClient http = RestClient.create();
    final HttpClient async = HttpClient.newHttpClient();
    final String base;
    final Held held;

    App(WebApplicationType type, String... properties) {
      List<String> all = new ArrayList<>(List.of(properties));
      all.add("server.port=0");
      // no paths: the rule's adaptive limit guards every request, the actuator's excepted
      all.add("resilience.inbound.rules.api.key=header:X-Api-Key");
      all.add("resilience.inbound.rules.api.adaptive.enabled=true");
      all.add("management.endpoints.web.exposure.include=health,resilience,prometheus");
      context =
          new SpringApplicationBuilder(
                  type == WebApplicationType.REACTIVE
                      ? AdaptiveInboundApplications.Reactive.class
                      : AdaptiveInboundApplications.Servlet.class)
              .web(type)
              .properties(all.toArray(String[]::new))
              .run();
      base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
      held = context.getBean(Held.class);
    }

    HttpAnswer get(String path, String key) {
      return HttpAnswer.send(
          http, HttpMethod.GET, base, path, headers -> headers.set("X-Api-Key", key));
    }

    HttpAnswer get(String path) {
      return HttpAnswer.send(http, HttpMethod.GET, base, path, headers -> {});
    }

    /** Sends a request to /api/hold without waiting for its answer. */
    CompletableFuture<HttpResponse<String>> hold(String key) {
      return async.sendAsync(
          HttpRequest.newBuilder(URI.create(base + "/api/hold")).header("X-Api-Key", key).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** The rule as {@code GET /actuator/resilience/api} shows it, read from the endpoint. */
    JsonNode rule() {
      Object body = context.getBean(ResilienceEndpoint.class).named("api").getBody();
      return JsonMapper.builder().build().valueToTree(body).path("inboundRule");
    }

    /**
     * The rule's requests in flight once the last answered has given its slot back: under WebFlux
     * the slot is given back when the exchange's signal ends, just after the answer was written, so
     * a client may read the answer a moment before.
     */
    int inFlightOnceSettled() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int inFlight = rule().path("adaptive").path("inFlight").asInt();
      while (inFlight != 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
        inFlight = rule().path("adaptive").path("inFlight").asInt();
      }
      // the slot is given back before the round-trip time is sampled, nanoseconds later: one
      // more round trip (to a path no adaptive limit guards) lets that sample land too
      get("/actuator/health");
      return inFlight;
    }

    double meter(String name, String tag, String value) {
      return context
          .getBean(MeterRegistry.class)
          .get(name)
          .tag(tag, value)
          .meter()
          .measure()
          .iterator()
          .next()
          .getValue();
    }

    @Override
    public void close() {
      held.releaseAll();
      context.close();
    }
  }

  private static final String[] FIXED_AT_TWO = {
    "resilience.inbound.rules.api.adaptive.min-limit=2",
    "resilience.inbound.rules.api.adaptive.max-limit=2",
    "resilience.inbound.rules.api.adaptive.initial-limit=2"
  };

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenTheLimitIsReachedThenARequestIsAnswered503WithRetryAfterAndTheActuatorStillAnswers(
      WebApplicationType type) throws Exception {
    try (App app = new App(type, FIXED_AT_TWO)) {
      CompletableFuture<HttpResponse<String>> first = app.hold("k1");
      CompletableFuture<HttpResponse<String>> second = app.hold("k2");
      app.held.awaitEntered(2);

      HttpAnswer turnedAway = app.get("/api/took?ms=1", "k3");
      HttpAnswer health = app.get("/actuator/health");
      HttpAnswer prometheus = app.get("/actuator/prometheus");
      JsonNode whileFull = app.rule();
      app.held.releaseAll();
      int firstStatus = first.get(10, TimeUnit.SECONDS).statusCode();
      int secondStatus = second.get(10, TimeUnit.SECONDS).statusCode();
      int settled = app.inFlightOnceSettled();
      HttpAnswer after = app.get("/api/took?ms=1", "k3");

      assertThat(turnedAway.status()).isEqualTo(503);
      assertThat(turnedAway.headers().getFirst("Retry-After")).isEqualTo("1");
      assertThat(turnedAway.headers().getContentType()).hasToString("application/problem+json");
      JsonNode problem = turnedAway.json();
      assertThat(problem.path("type").asString())
          .isEqualTo("https://iana.org/assignments/http-problem-types#temporary-reduced-capacity");
      assertThat(problem.path("status").asInt()).isEqualTo(503);
      assertThat(problem.path("rule").asString()).isEqualTo("api");
      assertThat(problem.path("instance").asString()).isEqualTo("/api/took");
      assertThat(problem.path("limit").asInt()).isEqualTo(2);
      assertThat(problem.path("retryAfterMs").asLong()).isEqualTo(1000);
      if (type == WebApplicationType.SERVLET) {
        assertThat(health.status()).as("the actuator is never limited").isEqualTo(200);
        assertThat(prometheus.status()).isEqualTo(200);
      } else {
        // this WebFlux test application maps no actuator paths: 404, not turned away
        assertThat(health.status()).as("the actuator is never limited").isEqualTo(404);
      }
      assertThat(whileFull.path("adaptive").path("limit").asInt()).isEqualTo(2);
      assertThat(whileFull.path("adaptive").path("inFlight").asInt()).isEqualTo(2);
      assertThat(whileFull.path("adaptive").path("algorithm").asString()).isEqualTo("gradient");
      assertThat(whileFull.has("limits")).as("a rule with only an adaptive limit").isFalse();
      assertThat(firstStatus).isEqualTo(200);
      assertThat(secondStatus).isEqualTo(200);
      assertThat(after.status()).isEqualTo(200);
      assertThat(settled).as("every slot given back").isZero();
      assertThat(app.meter("resilience.inbound.requests", "outcome", "rejected_capacity"))
          .isEqualTo(1.0);
      assertThat(app.meter("resilience.adaptive.limit", "name", "api")).isEqualTo(2.0);
      assertThat(app.inFlightOnceSettled()).isZero();
      assertThat(app.meter("resilience.adaptive.in.flight", "name", "api")).isZero();
      if (type == WebApplicationType.SERVLET) {
        assertThat(app.get("/actuator/prometheus").body())
            .contains(
                "resilience_inbound_requests_total{outcome=\"rejected_capacity\",rule=\"api\"}"
                    + " 1.0",
                "resilience_adaptive_limit{name=\"api\"} 2.0",
                "resilience_adaptive_in_flight{name=\"api\"} 0.0");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenOtherTiersFillTheLimitThenProKeepsItsGuaranteedShare(WebApplicationType type)
      throws Exception {
    try (App app =
        new App(
            type,
            "resilience.inbound.rules.api.adaptive.min-limit=4",
            "resilience.inbound.rules.api.adaptive.max-limit=4",
            "resilience.inbound.rules.api.adaptive.initial-limit=4",
            "resilience.inbound.rules.api.adaptive.partitions.pro=0.5")) {
      List<CompletableFuture<HttpResponse<String>>> holding = new ArrayList<>();
      holding.add(app.hold("free-1"));
      holding.add(app.hold("free-2"));
      app.held.awaitEntered(2);
      HttpAnswer thirdFree = app.get("/api/took?ms=1", "free-3");
      holding.add(app.hold("pro-1"));
      holding.add(app.hold("pro-2"));
      app.held.awaitEntered(2);
      HttpAnswer thirdPro = app.get("/api/took?ms=1", "pro-3");
      JsonNode partitions = app.rule().path("adaptive").path("partitions");
      app.held.releaseAll();
      for (CompletableFuture<HttpResponse<String>> answer : holding) {
        assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }

      assertThat(thirdFree.status())
          .as("the free tier may not take pro's unused half")
          .isEqualTo(503);
      assertThat(thirdPro.status()).as("the limit itself is full").isEqualTo(503);
      assertThat(partitions.size()).isEqualTo(2);
      assertThat(partitions.get(0).path("tier").asString()).isEqualTo("pro");
      assertThat(partitions.get(0).path("share").asDouble()).isEqualTo(0.5);
      assertThat(partitions.get(0).path("guaranteed").asInt()).isEqualTo(2);
      assertThat(partitions.get(0).path("inFlight").asInt()).isEqualTo(2);
      assertThat(
              partitions.get(1).path("tier").isNull()
                  || partitions.get(1).path("tier").isMissingNode())
          .isTrue();
      assertThat(partitions.get(1).path("inFlight").asInt()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenRequestsTakeLongerThanTheyUsedToThenTheLimitShrinksSayingWhy(WebApplicationType type)
      throws InterruptedException {
    try (App app =
        new App(
            type,
            "resilience.inbound.rules.api.adaptive.min-limit=5",
            "resilience.inbound.rules.api.adaptive.max-limit=100",
            "resilience.inbound.rules.api.adaptive.initial-limit=50")) {
      for (int i = 0; i < 40; i++) {
        assertThat(app.get("/api/took?ms=10", "k").status()).isEqualTo(200);
      }
      int before = app.rule().path("adaptive").path("limit").asInt();
      for (int i = 0; i < 40; i++) {
        assertThat(app.get("/api/took?ms=100", "k").status()).isEqualTo(200);
      }
      // failures say nothing of the service's speed: they leave the limit where it is
      app.inFlightOnceSettled(); // the last slow request has given its slot back, its time counted
      JsonNode slow = app.rule().path("adaptive");
      for (int i = 0; i < 40; i++) {
        assertThat(app.get("/api/fail", "k").status()).isEqualTo(500);
      }
      int inFlight = app.inFlightOnceSettled();
      JsonNode afterFailures = app.rule().path("adaptive");

      assertThat(before).isEqualTo(50);
      assertThat(slow.path("limit").asInt()).isLessThan(50).isGreaterThanOrEqualTo(5);
      assertThat(slow.path("lastChange").path("reason").asString()).startsWith("gradient 0.");
      assertThat(slow.path("lastChange").path("from").asInt())
          .isGreaterThan(slow.path("lastChange").path("to").asInt());
      assertThat(afterFailures.path("limit").asInt()).isEqualTo(slow.path("limit").asInt());
      assertThat(inFlight).isZero();
    }
  }
}
