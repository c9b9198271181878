package dev.resilience.spring.actuate;

import dev.resilience.spring.Guarded;

/** Three endpoints on one breaker, the health check allowlisted: what the actuator tests list. */
public class TradingClient {

  @Guarded(endpoint = "place_order", breaker = "exchange")
  public String placeOrder() {
    return "placed";
  }

  @Guarded(endpoint = "cancel_order", breaker = "exchange")
  public String cancelOrder() {
    return "cancelled";
  }

  @Guarded(endpoint = "health", breaker = "exchange", allowlist = true)
  public String health() {
    return "up";
  }
}
