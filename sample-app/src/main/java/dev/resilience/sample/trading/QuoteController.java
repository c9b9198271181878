package dev.resilience.sample.trading;

import dev.resilience.sample.exchange.Quote;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Quotes for the trading API's callers: a reactive call to the exchange that Spring MVC answers
 * when the {@code Mono} completes, without holding a Tomcat thread while the exchange answers.
 */
@RestController
public class QuoteController {

  /** The symbols an order may name, so that what can be quoted can be traded. */
  static final Pattern SYMBOL = Pattern.compile(OrderRequest.SYMBOL_PATTERN);

  private final ExchangeClient exchange;

  QuoteController(ExchangeClient exchange) {
    this.exchange = exchange;
  }

  /** A bad symbol is refused here, before it costs a token or reaches the exchange. */
  @GetMapping("/quotes/{symbol}")
  Mono<Quote> quote(@PathVariable String symbol) {
    if (!SYMBOL.matcher(symbol).matches()) {
      throw new InvalidSymbolException(symbol);
    }
    return exchange.quote(symbol);
  }
}
