package dev.resilience.sample.trading;

import dev.resilience.sample.exchange.ExchangeOrder;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;

/** The trading API that callers of the sample app use. */
@RestController
public class OrderController {

  private final ExchangeClient exchange;

  OrderController(ExchangeClient exchange) {
    this.exchange = exchange;
  }

  @PostMapping("/orders")
  @ResponseStatus(HttpStatus.CREATED)
  ExchangeOrder place(@Valid @RequestBody OrderRequest request) {
    return exchange.place(request);
  }

  /** A 404 from the exchange here means the order is unknown, not that the exchange is broken. */
  @DeleteMapping("/orders/{id}")
  ExchangeOrder cancel(@PathVariable String id) {
    try {
      return exchange.cancel(id);
    } catch (HttpClientErrorException.NotFound notFound) {
      throw new UnknownOrderException(id, notFound);
    }
  }

  @DeleteMapping("/orders")
  Map<String, Object> cancelAll() {
    return exchange.cancelAll();
  }

  @GetMapping("/exchange/health")
  Map<String, Object> health() {
    return exchange.health();
  }
}
