package dev.resilience.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.TestTicker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A keyed endpoint and an inbound rule's limits per key in a running web application: the 429
 * answer, {@code /actuator/resilience} with its keys paths, and {@code /actuator/prometheus}, over
 * real HTTP. The ticker stands still unless a test moves it, so every number is exact.
 */
@SpringBootTest(
    classes = KeyedHttpTest.KeyedApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=resilience,prometheus",
      "management.endpoint.resilience.access=unrestricted",
      "resilience.rate-limiter.capacity-per-second=1",
      "resilience.rate-limiter.burst=2",
      "resilience.rate-limiter.max-wait=0s",
      "resilience.rate-limiter.max-keys=500"
    })
class KeyedHttpTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({OrderService.class, OrderController.class})
  static class KeyedApplication {

    @Bean
    TestTicker testTicker() {
      return new TestTicker();
    }

    /** What an inbound rule makes: limits per key under the rule's name. */
    @Bean
    KeyedRateLimiter ordersRule(ResilienceRegistry registry) {
      return registry.keyedRateLimiter(
          "orders",
          Limits.of(Limit.of(5, Duration.ofSeconds(1)), Limit.of(1000, Duration.ofHours(1))));
    }
  }

  public static class OrderService {
    @Guarded(endpoint = "place_order", breaker = "exchange", key = "#account")
    public String place(String account) {
      return "placed for " + account;
    }
  }

  @RestController
  static class OrderController {
    private final OrderService orders;

    OrderController(OrderService orders) {
      this.orders = orders;
    }

    @PostMapping("/accounts/{account}/orders")
    String place(@PathVariable String account) {
      return orders.place(account);
    }
  }

  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }
  }

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @Autowired TestTicker ticker;

  private RestClient http;

  @BeforeEach
  void setUp() {
    http = RestClient.create("http://localhost:" + port);
    registry.circuitBreaker("exchange").reset();
  }

  /** Sends {@code path} exactly as given: its segments are encoded by the caller. */
  private Answer send(HttpMethod method, String path) {
    return http.method(method)
        .uri(URI.create("http://localhost:" + port + path))
        .exchange(
            (request, response) ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    new String(response.getBody().readAllBytes())));
  }

  /** One path segment, every character that is not a letter, digit, '-' or '_' percent-encoded. */
  private static String segment(String text) {
    return UriUtils.encodePathSegment(text, StandardCharsets.UTF_8).replace(":", "%3A");
  }

  private Answer order(String account) {
    return send(HttpMethod.POST, "/accounts/" + segment(account) + "/orders");
  }

  private Answer key(HttpMethod method, String name, String key) {
    return send(method, "/actuator/resilience/keys/" + name + "/" + segment(key));
  }

  @Test
  void whenOneAccountHasUsedItsBurstThenItGetsA429WithTheEndpointsPolicyWhileAnotherIsServed() {
    assertThat(order("alice 1").status()).isEqualTo(200);
    assertThat(order("alice 1").status()).isEqualTo(200);

    Answer limited = order("alice 1");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(limited.headers().getFirst("Retry-After")).isEqualTo("1");
    assertThat(limited.headers().getFirst("RateLimit-Policy")).isEqualTo("\"place_order\";q=2;w=2");
    assertThat(limited.headers().getFirst("RateLimit")).isEqualTo("\"place_order\";r=0;t=1");
    assertThat(limited.body())
        .as("the key is nowhere but in the path the caller sent itself")
        .isEqualTo(
            "{\"detail\":\"Rate limit of 'place_order' reached\",\"instance\":\"/accounts/alice%201/orders\","
                + "\"status\":429,\"title\":\"Too Many Requests\",\"endpoint\":\"place_order\","
                + "\"retryAfterMs\":1000}");

    assertThat(order("bob 1").body()).isEqualTo("placed for bob 1");
    assertThat(registry.findRateLimiter("place_order"))
        .as("answering made no bucket shared by all keys")
        .isNull();
  }

  @Test
  void whenTheSharedBreakerIsOpenThenA503CarriesTheEndpointsPolicyButNoKeysState() {
    registry.circuitBreaker("exchange").forceOpen();

    Answer open = order("frank");

    assertThat(open.status()).isEqualTo(503);
    assertThat(open.headers().getFirst("RateLimit-Policy")).isEqualTo("\"place_order\";q=2;w=2");
    assertThat(open.headers().containsHeader("RateLimit"))
        .as("a breaker's rejection says nothing of the caller's bucket")
        .isFalse();
    assertThat(registry.findKeyedRateLimiter("place_order").isLive("frank")).isFalse();
  }

  @Test
  void whenReadThenAKeyedEndpointShowsItsKeysAndAnInboundRuleItsLimits() {
    order("carol");
    registry.findKeyedRateLimiter("orders").tryAcquire("client-1");

    JsonNode all = send(HttpMethod.GET, "/actuator/resilience").json();

    JsonNode placeOrder = all.get("rateLimiters").get("place_order");
    assertThat(placeOrder.toString())
        .isEqualTo(
            "{\"breaker\":\"exchange\",\"allowlist\":false,\"keyed\":true,\"liveKeys\":"
                + registry.findKeyedRateLimiter("place_order").liveKeys()
                + ",\"maxKeys\":500,\"evictions\":0,\"overridden\":false,"
                + "\"config\":{\"capacityPerSecond\":1.0,\"burst\":2,\"maxWaitMs\":0}}");
    assertThat(placeOrder.get("liveKeys").asInt()).isPositive();
    assertThat(all.get("inboundRules").propertyNames()).containsExactly("orders");
    assertThat(all.get("inboundRules").get("orders").toString())
        .isEqualTo(
            "{\"liveKeys\":"
                + registry.findKeyedRateLimiter("orders").liveKeys()
                + ",\"maxKeys\":500,\"evictions\":0,\"overridden\":false,"
                + "\"limits\":[{\"quota\":5,\"windowMs\":1000},{\"quota\":1000,\"windowMs\":3600000}]}");
    assertThat(all.get("rateLimiters").has("orders")).as("a rule is no endpoint").isFalse();

    assertThat(send(HttpMethod.GET, "/actuator/resilience/place_order").json().toString())
        .isEqualTo("{\"rateLimiter\":" + placeOrder + "}");
    assertThat(send(HttpMethod.GET, "/actuator/resilience/orders").json().toString())
        .isEqualTo("{\"inboundRule\":" + all.get("inboundRules").get("orders") + "}");
  }

  @Test
  void whenOneKeyIsReadThenItsBucketsAreShownPerLimitWithAKeyThatNeedsEncoding() {
    String key = "acct 7:eu";
    order(key);
    order(key);

    Answer answer = key(HttpMethod.GET, "place_order", key);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo(
            "{\"name\":\"place_order\",\"key\":\"acct 7:eu\",\"live\":true,\"availableTokens\":0.0,"
                + "\"retryAfterMs\":1000,"
                + "\"limits\":[{\"quota\":2,\"windowMs\":2000,\"availableTokens\":0.0,\"retryAfterMs\":1000}]}");

    ticker.advance(Duration.ofMillis(500));
    assertThat(key(HttpMethod.GET, "place_order", key).json().get("retryAfterMs").asLong())
        .isEqualTo(500L);
  }

  @Test
  void whenARulesKeyIsReadThenEveryLimitIsShownAndTheFewestTokensAndLongestWaitSummariseThem() {
    KeyedRateLimiter orders = registry.findKeyedRateLimiter("orders");
    for (int i = 0; i < 5; i++) {
      orders.tryAcquire("api key/with slash");
    }

    Answer answer = send(HttpMethod.GET, "/actuator/resilience/keys/orders/api%20key/with%20slash");

    assertThat(answer.body())
        .isEqualTo(
            "{\"name\":\"orders\",\"key\":\"api key/with slash\",\"live\":true,\"availableTokens\":0.0,"
                + "\"retryAfterMs\":200,\"limits\":["
                + "{\"quota\":5,\"windowMs\":1000,\"availableTokens\":0.0,\"retryAfterMs\":200},"
                + "{\"quota\":1000,\"windowMs\":3600000,\"availableTokens\":995.0,\"retryAfterMs\":0}]}");
  }

  @Test
  void whenAnUnknownKeyIsReadThenItIsFullAndNotLiveAndReadingItMakesItNoState() {
    Answer answer = key(HttpMethod.GET, "orders", "never-seen");

    assertThat(answer.body())
        .isEqualTo(
            "{\"name\":\"orders\",\"key\":\"never-seen\",\"live\":false,\"availableTokens\":5.0,"
                + "\"retryAfterMs\":0,\"limits\":["
                + "{\"quota\":5,\"windowMs\":1000,\"availableTokens\":5.0,\"retryAfterMs\":0},"
                + "{\"quota\":1000,\"windowMs\":3600000,\"availableTokens\":1000.0,\"retryAfterMs\":0}]}");
    assertThat(registry.findKeyedRateLimiter("orders").isLive("never-seen")).isFalse();
  }

  @Test
  void whenAKeyIsResetThroughDeleteThenTheBlockedClientIsServedAgain() {
    String key = "dave:eu west";
    order(key);
    order(key);
    assertThat(order(key).status()).isEqualTo(429);

    Answer reset = key(HttpMethod.DELETE, "place_order", key);

    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.body())
        .isEqualTo("{\"name\":\"place_order\",\"key\":\"dave:eu west\",\"wasLive\":true}");
    assertThat(order(key).status()).isEqualTo(200);
    assertThat(order(key).status()).isEqualTo(200);
    assertThat(order(key).status()).as("the burst, and no more").isEqualTo(429);
    assertThat(key(HttpMethod.DELETE, "orders", "nobody").body())
        .isEqualTo("{\"name\":\"orders\",\"key\":\"nobody\",\"wasLive\":false}");
  }

  @Test
  void whenTheNameOrThePathIsUnknownThenTheKeysPathsAnswer404SayingWhy() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.DELETE}) {
      Answer unknownName = key(method, "nope", "k");
      assertThat(unknownName.status()).as(method + " unknown name").isEqualTo(404);
      assertThat(unknownName.body())
          .isEqualTo("{\"message\":\"No keyed endpoint or inbound rule is named 'nope'\"}");

      Answer notKeys = send(method, "/actuator/resilience/locks/orders/k");
      assertThat(notKeys.status()).as(method + " not keys").isEqualTo(404);
      assertThat(notKeys.body())
          .isEqualTo(
              "{\"message\":\"No such path: one key is at /actuator/resilience/keys/{name}/{key}\"}");
    }
    assertThat(key(HttpMethod.GET, "exchange", "k").status())
        .as("a breaker has no keys")
        .isEqualTo(404);
  }

  @Test
  void whenNoKeyIsNamedThenTheKeysPathsAnswer400SayingHowToNameOne() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.DELETE}) {
      for (String path :
          new String[] {"/actuator/resilience/keys/orders", "/actuator/resilience/keys/orders/"}) {
        Answer noKey = send(method, path);
        assertThat(noKey.status()).as(method + " " + path).isEqualTo(400);
        assertThat(noKey.body())
            .isEqualTo("{\"message\":\"Name the key: /actuator/resilience/keys/orders/{key}\"}");
      }
    }
  }

  @Test
  void prometheusShowsKeysAndEvictionsByNameAndNoKey() {
    order("erin-secret-7f3a");
    registry.findKeyedRateLimiter("orders").tryAcquire("api-secret-9c2e");

    String scrape = send(HttpMethod.GET, "/actuator/prometheus").body();

    assertThat(scrape)
        .contains("# TYPE resilience_rate_limit_keys gauge\n")
        .contains("# TYPE resilience_rate_limit_key_evictions_total counter\n")
        .contains("resilience_rate_limit_key_evictions_total{name=\"orders\"} 0.0\n")
        .contains("resilience_rate_limit_key_evictions_total{name=\"place_order\"} 0.0\n")
        .containsPattern("resilience_rate_limit_keys\\{name=\"orders\"} [1-9][0-9]*\\.0\n")
        .containsPattern("resilience_rate_limit_keys\\{name=\"place_order\"} [1-9][0-9]*\\.0\n")
        .doesNotContain("resilience_rate_limit_available_tokens{endpoint=\"place_order\"}")
        .doesNotContain("secret");
  }
}
