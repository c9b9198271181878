package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.sample.SampleHttp.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

/**
 * The inbound rule {@code orders} over real HTTP: each {@code X-Api-Key} has its own buckets, pro
 * keys have the pro tier, an operator can unblock one key, and no key ever reaches a metric.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = SampleHttp.OPERATOR_PASSWORD_PROPERTY)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClientLimitsEndToEndTest {

  private static final String POLICY = "\"orders\";q=5;w=1, \"orders/1h\";q=1000;w=3600";

  @LocalServerPort int port;

  private static String order(String account) {
    return "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1,\"account\":\"" + account + "\"}";
  }

  /** Sends {@code count} orders at once as {@code apiKey}, each for its own account. */
  private List<Answer> burst(String apiKey, int count) throws Exception {
    SampleHttp client = new SampleHttp(port, apiKey);
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<Answer>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String account = apiKey + "-account-" + i;
        pending.add(pool.submit(() -> client.send("POST", "/orders", order(account))));
      }
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> answer : pending) {
        answers.add(answer.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  @AfterEach
  void cancelEverything() {
    new SampleHttp(port).send("DELETE", "/orders", null);
  }

  @Test
  @Order(1)
  void twoClientsAtOnceOnlyTheOneOverItsLimitIsRejected() throws Exception {
    long start = System.nanoTime();
    List<Answer> busy = burst("client-a", 15);
    Answer quiet = new SampleHttp(port, "client-b").send("POST", "/orders", order("b"));
    double elapsed = (System.nanoTime() - start) / 1e9;

    List<Answer> rejected = busy.stream().filter(a -> a.status() == 429).toList();
    long admitted = busy.stream().filter(a -> a.status() == 201).count();
    assertThat(admitted + rejected.size()).as("admitted or rejected, nothing else").isEqualTo(15);
    assertThat((double) admitted)
        .as("5 + 5/s x %.2fs", elapsed)
        .isLessThanOrEqualTo(6 + 5 * elapsed);
    assertThat(rejected).isNotEmpty();
    Answer limited = rejected.get(0);
    assertThat(Long.parseLong(limited.headers().getFirst("Retry-After"))).isGreaterThanOrEqualTo(1);
    assertThat(limited.headers().getFirst("RateLimit-Policy")).isEqualTo(POLICY);
    assertThat(limited.headers().getFirst("RateLimit"))
        .matches("\"orders\";r=0;t=[1-9]\\d*, \"orders/1h\";r=\\d+;t=\\d+");
    assertThat(limited.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(limited.json().get("type").asString())
        .isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded");
    assertThat(limited.json().get("status").asInt()).isEqualTo(429);
    assertThat(limited.json().get("rule").asString()).isEqualTo("orders");
    assertThat(limited.json().get("violated-policies").toString()).isEqualTo("[\"orders\"]");
    assertThat(limited.json().get("retryAfterMs").asLong()).isPositive();
    assertThat(limited.body()).doesNotContain("client-a");

    assertThat(quiet.status()).as("client-b has its own buckets").isEqualTo(201);
    assertThat(quiet.headers().getFirst("RateLimit-Policy")).isEqualTo(POLICY);
    assertThat(quiet.headers().getFirst("RateLimit"))
        .isEqualTo("\"orders\";r=4;t=0, \"orders/1h\";r=999;t=0");
  }

  @Test
  @Order(2)
  void aProKeyHasTheProTier() throws Exception {
    List<Answer> answers = burst("pro-key-1", 20);

    assertThat(answers).extracting(Answer::status).containsOnly(201);
    assertThat(answers.get(0).headers().getFirst("RateLimit-Policy"))
        .isEqualTo("\"orders\";q=50;w=1");
  }

  @Test
  @Order(3)
  void anOperatorUnblocksOneKeyThroughTheActuator() {
    SampleHttp client = new SampleHttp(port, "client-c");
    int status = 0;
    for (int i = 0; i < 50 && status != 429; i++) {
      status = client.send("POST", "/orders", order("c")).status();
    }
    assertThat(status).as("client-c spent its 5 per second").isEqualTo(429);
    Answer key = client.get("/actuator/resilience/keys/orders/client-c");
    assertThat(key.json().get("live").asBoolean()).isTrue();
    assertThat(key.json().get("availableTokens").asDouble()).isLessThan(1.0);
    assertThat(key.json().get("retryAfterMs").asLong()).isPositive();

    Answer reset =
        client.asOperator().send("DELETE", "/actuator/resilience/keys/orders/client-c", null);

    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.json().get("wasLive").asBoolean()).isTrue();
    assertThat(client.send("POST", "/orders", order("c")).status()).isEqualTo(201);
  }

  @Test
  @Order(4)
  void prometheusCountsRequestsPerRuleAndNeverNamesAKey() {
    String prometheus = new SampleHttp(port).get("/actuator/prometheus").body();

    assertThat(prometheus)
        .containsPattern(
            "resilience_inbound_requests_total\\{outcome=\"rejected\",rule=\"orders\"} [1-9]")
        .containsPattern(
            "resilience_inbound_requests_total\\{outcome=\"admitted\",rule=\"orders\"} [1-9]")
        .containsPattern("resilience_rate_limit_keys\\{name=\"orders\"} [1-9]")
        .containsPattern("resilience_rate_limit_keys\\{name=\"place_order\"} [1-9]")
        .contains("resilience_rate_limit_key_evictions_total{name=\"orders\"} 0.0");
    for (String key : List.of("client-a", "client-b", "client-c", "pro-key-1", "account-")) {
      assertThat(prometheus).as("keys never reach a metric").doesNotContain(key);
    }
  }
}
