package dev.resilience.spring.webflux;

import dev.resilience.core.RateLimitedException;
import dev.resilience.spring.Guarded;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code WebAnswersApplication} under WebFlux, on Tomcat: a guarded reactive quote service behind
 * an annotated controller, a functional route, and a controller with its own handling. Spring
 * Boot's WebFlux auto-configuration does not resolve here (its Netty), so the application builds
 * its {@link HttpHandler} itself, as that auto-configuration would.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebFlux
@Import({
  ReactiveWebAnswersApplication.QuoteService.class,
  ReactiveWebAnswersApplication.QuoteController.class,
  ReactiveWebAnswersApplication.OwnHandlingController.class,
  ReactiveWebAnswersApplication.OwnAdvice.class
})
public class ReactiveWebAnswersApplication {

  public static class QuoteService {
    @Guarded(endpoint = "quote", breaker = "pricing")
    public Mono<String> quote(String symbol) {
      return Mono.just(symbol + "=42");
    }

    @Guarded(endpoint = "own_quote", breaker = "pricing")
    public Mono<String> ownQuote(String symbol) {
      return Mono.just(symbol + "=42");
    }

    private final Sinks.One<String> gate = Sinks.one();

    @Guarded(endpoint = "slow_quote", breaker = "slow")
    public Mono<String> slowQuote(String symbol) {
      return gate.asMono();
    }

    /** Answers every slow quote waiting so far, and every later one at once. */
    public void release() {
      gate.tryEmitValue("released");
    }
  }

  @RestController
  public static class QuoteController {
    private final QuoteService quotes;

    QuoteController(QuoteService quotes) {
      this.quotes = quotes;
    }

    @GetMapping("/quotes/{symbol}")
    Mono<String> quote(@PathVariable String symbol) {
      return quotes.quote(symbol);
    }

    @GetMapping("/slow/{symbol}")
    Mono<String> slow(@PathVariable String symbol) {
      return quotes.slowQuote(symbol);
    }
  }

  @RestController
  public static class OwnHandlingController {
    private final QuoteService quotes;

    OwnHandlingController(QuoteService quotes) {
      this.quotes = quotes;
    }

    @GetMapping("/own/{symbol}")
    Mono<String> quote(@PathVariable String symbol) {
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

  @Bean
  RouterFunction<ServerResponse> functionalQuotes(QuoteService quotes) {
    return RouterFunctions.route(
        RequestPredicates.GET("/fn/quotes/{symbol}"),
        request ->
            quotes
                .quote(request.pathVariable("symbol"))
                .flatMap(quote -> ServerResponse.ok().bodyValue(quote)));
  }

  @Bean
  HttpHandler httpHandler(ApplicationContext context) {
    return WebHttpHandlerBuilder.applicationContext(context).build();
  }
}
