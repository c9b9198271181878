package dev.resilience.spring.dashboard;

import dev.resilience.spring.Guarded;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A web application with the live page on: one endpoint, {@code place_order}, on {@code exchange}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(DashboardApplication.Exchange.class)
class DashboardApplication {

  /** The guarded client the page shows. */
  public static class Exchange {

    @Guarded(endpoint = "place_order", breaker = "exchange")
    public String placeOrder() {
      return "placed";
    }
  }
}
