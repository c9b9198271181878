package dev.resilience.spring.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code resilience.bulkhead.*} over real HTTP: a call that finds its endpoint's bulkhead full is
 * answered 503 with {@code Retry-After} and a problem naming the endpoint, and the slot comes back
 * when the call in flight ends.
 */
@SpringBootTest(
    classes = BulkheadHttpTest.SlowQuotes.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.bulkhead.endpoint-overrides.slow_quote.max-concurrent=1",
      "resilience.rate-limiter.burst=100"
    })
class BulkheadHttpTest {

  static final CountDownLatch RELEASE = new CountDownLatch(1);

  @SpringBootApplication
  static class SlowQuotes {

    @Service
    public static class QuoteService {
      @Guarded(endpoint = "slow_quote", breaker = "pricing")
      public String quote(String symbol) throws InterruptedException {
        RELEASE.await(30, TimeUnit.SECONDS);
        return symbol + "=42";
      }
    }

    @RestController
    public static class QuoteController {
      private final QuoteService quotes;

      QuoteController(QuoteService quotes) {
        this.quotes = quotes;
      }

      @GetMapping("/slow/{symbol}")
      String quote(@PathVariable String symbol) throws InterruptedException {
        return quotes.quote(symbol);
      }
    }
  }

  record Answer(int status, String retryAfter, MediaType type, String body) {}

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @AfterEach
  void release() {
    RELEASE.countDown();
  }

  private Answer get(String path) {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri(path)
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders().getFirst("Retry-After"),
                    response.getHeaders().getContentType(),
                    new String(response.getBody().readAllBytes())));
  }

  @Test
  void whenTheBulkheadIsFullTheNextCallIsA503ProblemAndTheSlotComesBackAfterwards()
      throws Exception {
    Guard guard = registry.guards().get("slow_quote");
    assertThat(guard.bulkhead().config().maxConcurrent()).isEqualTo(1);
    CompletableFuture<Answer> inFlight = CompletableFuture.supplyAsync(() -> get("/slow/BTC"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (guard.bulkhead().inFlight() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    Answer full = get("/slow/ETH");
    RELEASE.countDown();
    Answer first = inFlight.get(30, TimeUnit.SECONDS);

    assertThat(full.status()).isEqualTo(503);
    assertThat(full.retryAfter()).isEqualTo("1");
    assertThat(full.type()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    JsonNode body = JsonMapper.builder().build().readTree(full.body());
    assertThat(body.get("detail").asString())
        .isEqualTo("Bulkhead of 'slow_quote' is full: 1 calls are in flight already");
    assertThat(body.get("endpoint").asString()).isEqualTo("slow_quote");
    assertThat(body.get("maxConcurrent").asInt()).isEqualTo(1);
    assertThat(body.get("retryAfterMs").asLong()).as("what Retry-After says").isEqualTo(1000);
    assertThat(first.status()).isEqualTo(200);
    assertThat(guard.bulkhead().inFlight()).isZero();
    assertThat(get("/slow/SOL").status()).isEqualTo(200);
    assertThat(registry.guards().get("slow_quote").breaker().snapshot().failuresInWindow())
        .as("a full bulkhead is no failure of the downstream")
        .isZero();
  }
}
