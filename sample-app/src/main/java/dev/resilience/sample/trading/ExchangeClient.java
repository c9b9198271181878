package dev.resilience.sample.trading;

import dev.resilience.sample.exchange.ExchangeOrder;
import dev.resilience.spring.Guarded;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

/**
 * The trading client: every call to the exchange is {@code @Guarded}. All four endpoints share the
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

  /** The exchange runs in this process: its address is known once the server has a port. */
  private RestClient http() {
    RestClient client = http;
    if (client == null) {
      String base = environment.getProperty("sample.exchange.base-url");
      if (base == null) {
        base = "http://localhost:" + environment.getRequiredProperty("local.server.port");
      }
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
}
