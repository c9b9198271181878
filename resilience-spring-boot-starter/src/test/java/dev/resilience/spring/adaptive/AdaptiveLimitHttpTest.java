package dev.resilience.spring.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code resilience.adaptive.*} over real HTTP: an endpoint whose downstream answers 503 under load
 * sees its limit shrink, calls over the limit are answered 503 with {@code Retry-After}, and the
 * limit grows back once the downstream succeeds; the actuator shows the limit and why it last
 * moved, for the adaptive endpoint only.
 */
@SpringBootTest(
    classes = AdaptiveLimitHttpTest.Orders.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.adaptive.endpoint-overrides.place_order.enabled=true",
      "resilience.adaptive.endpoint-overrides.place_order.initial-limit=10",
      "resilience.adaptive.endpoint-overrides.place_order.max-limit=20",
      "resilience.rate-limiter.capacity-per-second=100000",
      "resilience.rate-limiter.burst=100000",
      "resilience.breaker.endpoint-overrides.exchange.fail-threshold=1000000",
      "management.endpoints.web.exposure.include=resilience"
    })
class AdaptiveLimitHttpTest {

  static final AtomicBoolean OVERLOADED = new AtomicBoolean();

  @SpringBootApplication
  static class Orders {

    @Service
    public static class Exchange {
      @Guarded(endpoint = "place_order", breaker = "exchange")
      public String place(int order) throws InterruptedException {
        Thread.sleep(2);
        if (OVERLOADED.get()) {
          throw HttpServerErrorException.create(
              HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", null, null, null);
        }
        return "placed " + order;
      }

      @Guarded(endpoint = "quote", breaker = "exchange")
      public String quote() {
        return "42";
      }
    }

    @RestController
    public static class OrderController {
      private final Exchange exchange;

      OrderController(Exchange exchange) {
        this.exchange = exchange;
      }

      @GetMapping("/orders/{order}")
      String place(@PathVariable int order) throws InterruptedException {
        return exchange.place(order);
      }

      @GetMapping("/quote")
      String quote() {
        return exchange.quote();
      }
    }
  }

  record Answer(int status, String retryAfter, String body) {}

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  private Answer get(String path) {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri(path)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    String.valueOf(response.getHeaders().getFirst("Retry-After")),
                    new String(response.getBody().readAllBytes())));
  }

  /** Eight clients sending {@code perClient} orders each; returns the answers' statuses. */
  private List<Answer> load(int perClient) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Answer>>> sent = new ArrayList<>();
      AtomicInteger order = new AtomicInteger();
      for (int c = 0; c < 8; c++) {
        sent.add(
            clients.submit(
                () -> {
                  List<Answer> answers = new ArrayList<>();
                  for (int i = 0; i < perClient; i++) {
                    answers.add(get("/orders/" + order.incrementAndGet()));
                  }
                  return answers;
                }));
      }
      List<Answer> all = new ArrayList<>();
      for (Future<List<Answer>> answers : sent) {
        all.addAll(answers.get(60, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void whenTheDownstreamFailsUnderLoadThenTheLimitShrinksAndThenRecoversWithSuccesses()
      throws Exception {
    assertThat(get("/quote").body()).isEqualTo("42");
    AdaptiveLimit limit = registry.guards().get("place_order").adaptiveLimit();
    assertThat(limit.limit()).isEqualTo(10);
    assertThat(registry.guards().get("quote").adaptiveLimit()).isNull();

    OVERLOADED.set(true);
    List<Answer> overloaded = load(25);
    int shrunk = limit.limit();

    assertThat(shrunk).as("the limit shrinks on the downstream's 503s").isLessThan(10);
    assertThat(limit.lastChange().reason()).isEqualTo("drop: 503");
    assertThat(overloaded)
        .as("the downstream's 503 fails the order (500); a call over the limit is turned away")
        .allMatch(answer -> answer.status() == 500 || answer.status() == 503);
    assertThat(overloaded)
        .filteredOn(answer -> answer.status() == 503)
        .allSatisfy(
            rejected -> {
              assertThat(rejected.retryAfter()).isEqualTo("1");
              assertThat(rejected.body())
                  .contains(
                      "is reached: ",
                      "calls are in flight already (the limit in force, which moves with the"
                          + " downstream's answers)",
                      "\"endpoint\":\"place_order\"");
            });
    assertThat(limit.inFlight()).isZero();
    JsonNode shrunkJson = JsonMapper.builder().build().readTree(get("/actuator/resilience").body());
    JsonNode adaptive = shrunkJson.path("rateLimiters").path("place_order").path("adaptive");
    assertThat(adaptive.path("limit").asInt()).isEqualTo(shrunk);
    assertThat(adaptive.path("inFlight").asInt()).isZero();
    assertThat(adaptive.path("algorithm").asString()).isEqualTo("aimd");
    assertThat(adaptive.path("minLimit").asInt()).isEqualTo(1);
    assertThat(adaptive.path("maxLimit").asInt()).isEqualTo(20);
    JsonNode lastChange = adaptive.path("lastChange");
    assertThat(lastChange.path("to").asInt()).isEqualTo(shrunk);
    assertThat(lastChange.path("from").asInt()).isGreaterThan(shrunk);
    assertThat(lastChange.path("reason").asString()).isEqualTo("drop: 503");
    assertThat(Duration.between(Instant.parse(lastChange.path("time").asString()), Instant.now()))
        .isBetween(Duration.ZERO, Duration.ofSeconds(30));
    assertThat(shrunkJson.path("rateLimiters").path("quote").has("adaptive"))
        .as("an endpoint without an adaptive limit shows none")
        .isFalse();

    OVERLOADED.set(false);
    List<Answer> recovered = load(25);

    assertThat(limit.limit()).as("the limit grows back with successes").isGreaterThan(shrunk);
    assertThat(limit.lastChange().reason()).startsWith("grew: in use ");
    assertThat(recovered).anyMatch(answer -> answer.status() == 200);
    assertThat(recovered)
        .filteredOn(answer -> answer.status() != 200)
        .allSatisfy(
            rejected -> {
              assertThat(rejected.status()).isEqualTo(503);
              assertThat(rejected.retryAfter()).isEqualTo("1");
              assertThat(rejected.body()).contains("Adaptive concurrency limit of 'place_order'");
            });
  }
}
