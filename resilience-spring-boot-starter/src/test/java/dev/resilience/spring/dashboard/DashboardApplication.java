package dev.resilience.spring.dashboard;

import dev.resilience.spring.Guarded;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;

/**
 * A web application with the live page on: two endpoints on {@code exchange}, {@code place_order}
 * and {@code quote}; the tests give {@code quote} an adaptive limit ({@link #ADAPTIVE_QUOTE}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(DashboardApplication.Exchange.class)
class DashboardApplication {

  /** The live page on. */
  static final String DASHBOARD = "resilience.dashboard.enabled=true";

  /** An adaptive limit for {@code quote}, starting at 10. */
  static final String ADAPTIVE_QUOTE = "resilience.adaptive.endpoint-overrides.quote.enabled=true";

  static final String QUOTE_INITIAL =
      "resilience.adaptive.endpoint-overrides.quote.initial-limit=10";

  static final String QUOTE_MAX = "resilience.adaptive.endpoint-overrides.quote.max-limit=20";

  /** The guarded client the page shows. */
  public static class Exchange {

    @Guarded(endpoint = "place_order", breaker = "exchange")
    public String placeOrder() {
      return "placed";
    }

    /**
     * A quote, or, when {@code overloaded}, the 503 of an overloaded downstream: a counted drop
     * that shrinks the adaptive limit.
     */
    @Guarded(endpoint = "quote", breaker = "exchange")
    public String quote(boolean overloaded) {
      if (overloaded) {
        throw HttpServerErrorException.create(
            HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", null, null, null);
      }
      return "42";
    }
  }
}
