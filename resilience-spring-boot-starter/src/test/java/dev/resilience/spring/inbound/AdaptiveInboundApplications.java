package dev.resilience.spring.inbound;

import dev.resilience.spring.TestTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/**
 * Applications whose requests take as long as a test says, on a ticker the test moves: {@code
 * /api/took?ms=N} moves it by N ms while it runs, {@code /api/hold} answers only when the test
 * releases the requests held ({@link Held}), {@code /api/fail} answers 500. Keys that start with
 * {@code pro-} are in tier {@code pro}.
 */
final class AdaptiveInboundApplications {

  private AdaptiveInboundApplications() {}

  /** The requests held at {@code /api/hold}, until released; one set per application. */
  static final class Held {

    private final Semaphore entered = new Semaphore(0);
    private final AtomicReference<CompletableFuture<String>> release =
        new AtomicReference<>(new CompletableFuture<>());

    CompletableFuture<String> hold() {
      CompletableFuture<String> answer = release.get();
      entered.release();
      return answer;
    }

    /** Waits until {@code n} requests (in all) reached the application and are held there. */
    void awaitEntered(int n) throws InterruptedException {
      if (!entered.tryAcquire(n, 10, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("fewer than " + n + " requests reached /api/hold in 10 s");
      }
    }

    /** Answers every request held, and holds the next ones anew. */
    void releaseAll() {
      release.getAndSet(new CompletableFuture<>()).complete("released");
    }
  }

  /** What both applications have: the ticker their requests move, the held requests, tiers. */
  @Configuration(proxyBeanMethods = false)
  static class Common {

    @Bean
    TestTicker resilienceTicker() {
      return new TestTicker();
    }

    @Bean
    Held held() {
      return new Held();
    }

    @Bean
    TierResolver tiers() {
      return (rule, key) -> key.startsWith("pro-") ? "pro" : null;
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Common.class, Servlet.Api.class})
  static class Servlet {

    @RestController
    static class Api {

      private final TestTicker ticker;
      private final Held held;

      Api(TestTicker ticker, Held held) {
        this.ticker = ticker;
        this.held = held;
      }

      @GetMapping("/api/took")
      String took(@RequestParam long ms) {
        ticker.advance(Duration.ofMillis(ms));
        return "took " + ms;
      }

      /**
       * An asynchronous request: the slot must be held until it completes, not until it returns.
       */
      @GetMapping("/api/hold")
      CompletableFuture<String> hold() {
        return held.hold();
      }

      @GetMapping("/api/fail")
      ResponseEntity<String> fail() {
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("failed");
      }
    }
  }

  /** The same under WebFlux, on Tomcat (see {@link ReactiveInboundApplication}). */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableWebFlux
  @Import(Common.class)
  static class Reactive {

    @Bean
    RouterFunction<ServerResponse> api(TestTicker ticker, Held held) {
      return RouterFunctions.route()
          .GET(
              "/api/took",
              request -> {
                long ms = Long.parseLong(request.queryParam("ms").orElseThrow());
                ticker.advance(Duration.ofMillis(ms));
                return ServerResponse.ok().bodyValue("took " + ms);
              })
          .GET(
              "/api/hold",
              request ->
                  Mono.fromFuture(held.hold()).flatMap(body -> ServerResponse.ok().bodyValue(body)))
          .GET(
              "/api/fail",
              request ->
                  ServerResponse.status(HttpStatus.INTERNAL_SERVER_ERROR).bodyValue("failed"))
          .build();
    }

    @Bean
    HttpHandler httpHandler(ApplicationContext context) {
      return WebHttpHandlerBuilder.applicationContext(context).build();
    }
  }
}
