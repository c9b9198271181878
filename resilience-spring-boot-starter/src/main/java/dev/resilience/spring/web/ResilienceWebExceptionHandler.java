package dev.resilience.spring.web;

import dev.resilience.core.CallRejectedException;
import dev.resilience.core.ResilienceRegistry;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers rejected calls in WebFlux applications exactly as {@link ResilienceExceptionHandler} does
 * under Spring MVC: {@code 429} for a rate limit, {@code 503} for an open breaker or a full
 * bulkhead, each with {@code Retry-After}, an RFC 9457 {@code application/problem+json} body and
 * the IETF rate-limit headers.
 *
 * <p>A {@code WebExceptionHandler}, so that it answers for annotated controllers and functional
 * routes alike. The application's own {@code @ExceptionHandler}s run first (inside the dispatcher);
 * ordered before Spring Boot's default error handler (order -1), which would answer 500.
 */
public class ResilienceWebExceptionHandler implements WebExceptionHandler, Ordered {

  /** Before Spring Boot's {@code DefaultErrorWebExceptionHandler} (-1). */
  public static final int ORDER = -2;

  private final RejectionAnswers answers;
  private final ServerResponse.Context context;

  /**
   * Creates the handler.
   *
   * @param registry read for the rate-limit headers
   * @param codecs the application's codecs, which write the problem body
   */
  public ResilienceWebExceptionHandler(ResilienceRegistry registry, ServerCodecConfigurer codecs) {
    this.answers = new RejectionAnswers(registry);
    List<HttpMessageWriter<?>> writers = codecs.getWriters();
    this.context =
        new ServerResponse.Context() {
          @Override
          public List<HttpMessageWriter<?>> messageWriters() {
            return writers;
          }

          @Override
          public List<ViewResolver> viewResolvers() {
            return List.of();
          }
        };
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    if (!(error instanceof CallRejectedException rejection)
        || exchange.getResponse().isCommitted()) {
      return Mono.error(error);
    }
    RejectionAnswers.Answer answer =
        answers.answer(rejection, header -> exchange.getResponse().getHeaders().getFirst(header));
    return ServerResponse.status(answer.status())
        .headers(headers -> headers.putAll(answer.headers()))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(answer.problem())
        .flatMap(response -> response.writeTo(exchange, context));
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
