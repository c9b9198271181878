package dev.resilience.sample.trading;

import dev.resilience.sample.exchange.ExchangeOrder;
import dev.resilience.sample.exchange.Quote;
import dev.resilience.spring.Guarded;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The trading client: every call to the exchange is {@code @Guarded}. All five endpoints share the
 * {@code exchange} breaker, so that when the exchange fails they all fail fast; cancelling
 * everything and the health check are allowlisted, so they still reach the exchange while the
 * breaker is open.
 */
@Service
public class ExchangeClient {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_MAP =
      new ParameterizedTypeReference<>() {};

  private final Environment environment;
  private volatile RestClient http;
  private volatile WebClient web;

  ExchangeClient(Environment environment) {
    this.environment = environment;
  }

  /**
   * Each account has its own {@code place_order} bucket: one account's burst cannot starve
   * another's.
   */
  @Guarded(endpoint = "place_order", breaker = "exchange", key = "#request.account")
  public ExchangeOrder place(OrderRequest request) {
    return http()
        .post()
        .uri("/sim/exchange/orders")
        .body(new ExchangeOrder(null, request.symbol(), request.side(), request.qty(), null))
        .retrieve()
        .body(ExchangeOrder.class);
  }

  @Guarded(endpoint = "cancel_order", breaker = "exchange")
  public ExchangeOrder cancel(String id) {
    return http()
        .delete()
        .uri("/sim/exchange/orders/{id}", id)
        .retrieve()
        .body(ExchangeOrder.class);
  }

  @Guarded(endpoint = "cancel_all", breaker = "exchange", allowlist = true)
  public Map<String, Object> cancelAll() {
    return http().delete().uri("/sim/exchange/orders").retrieve().body(JSON_MAP);
  }

  @Guarded(endpoint = "health", breaker = "exchange", allowlist = true)
  public Map<String, Object> health() {
    return http().get().uri("/sim/exchange/health").retrieve().body(JSON_MAP);
  }

  /**
   * A reactive call: the quote is fetched when the returned {@code Mono} is subscribed to, and each
   * subscription is one guarded call (admitted then, its outcome recorded when the exchange
   * answers). It shares the {@code exchange} breaker, so it fails fast with the orders when the
   * exchange is down, and a 429 with {@code Retry-After} from the exchange pauses its bucket.
   */
  @Guarded(endpoint = "quotes", breaker = "exchange")
  public Mono<Quote> quote(String symbol) {
    return web()
        .get()
        .uri("/sim/exchange/quotes/{symbol}", symbol)
        .retrieve()
        .bodyToMono(Quote.class);
  }

  /** The exchange runs in this process: its address is known once the server has a port. */
  private RestClient http() {
    RestClient client = http;
    if (client == null) {
      String base = baseUrl();
      // timeouts become ResourceAccessException(HttpTimeoutException): the breaker counts "timeout"
      JdkClientHttpRequestFactory requests =
          new JdkClientHttpRequestFactory(
              HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
      requests.setReadTimeout(Duration.ofSeconds(2));
      client = RestClient.builder().baseUrl(base).requestFactory(requests).build();
      http = client;
    }
    return client;
  }

  /** The reactive client, on the JDK HttpClient with the same timeouts as {@link #http()}. */
  private WebClient web() {
    WebClient client = web;
    if (client == null) {
      // a read timeout fails the Mono with WebClientRequestException(HttpTimeoutException), and
      // the breaker counts it as "timeout"
      JdkClientHttpConnector connector =
          new JdkClientHttpConnector(
              HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
      connector.setReadTimeout(Duration.ofSeconds(2));
      client = WebClient.builder().baseUrl(baseUrl()).clientConnector(connector).build();
      web = client;
    }
    return client;
  }

  private String baseUrl() {
    String base = environment.getProperty("sample.exchange.base-url");
    return base != null
        ? base
        : "http://localhost:" + environment.getRequiredProperty("local.server.port");
  }
}
