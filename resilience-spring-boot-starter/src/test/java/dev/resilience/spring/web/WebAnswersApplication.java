package dev.resilience.spring.web;

import dev.resilience.core.RateLimitedException;
import dev.resilience.spring.Guarded;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A tiny web app: one guarded quote service behind two controllers. */
@SpringBootApplication
public class WebAnswersApplication {

  @Service
  public static class QuoteService {
    @Guarded(endpoint = "quote", breaker = "pricing")
    public String quote(String symbol) {
      return symbol + "=42";
    }

    @Guarded(endpoint = "own_quote", breaker = "pricing")
    public String ownQuote(String symbol) {
      return symbol + "=42";
    }
  }

  @RestController
  public static class QuoteController {
    private final QuoteService quotes;

    QuoteController(QuoteService quotes) {
      this.quotes = quotes;
    }

    @GetMapping("/quotes/{symbol}")
    String quote(@PathVariable String symbol) {
      return quotes.quote(symbol);
    }
  }

  @RestController
  public static class OwnHandlingController {
    private final QuoteService quotes;

    OwnHandlingController(QuoteService quotes) {
      this.quotes = quotes;
    }

    @GetMapping("/own/{symbol}")
    String quote(@PathVariable String symbol) {
      return quotes.ownQuote(symbol);
    }
  }

  /** The application's own handling of rate limits for one controller: it must win over ours. */
  @RestControllerAdvice(assignableTypes = OwnHandlingController.class)
  public static class OwnAdvice {
    @ExceptionHandler(RateLimitedException.class)
    ResponseEntity<String> rateLimited(RateLimitedException e) {
      return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT)
          .body("own handler for " + e.endpoint());
    }
  }
}
