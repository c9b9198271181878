package dev.resilience.spring.web;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CallRejectedException;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.ResilienceRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers rejected calls that reach Spring MVC: {@link RateLimitedException} with {@code 429 Too
 * Many Requests}, {@link CircuitOpenException} and {@link BulkheadFullException} with {@code 503
 * Service Unavailable}. All carry {@code Retry-After} (whole seconds, rounded up, at least 1), an
 * RFC 9457 {@code application/problem+json} body, and the IETF {@code RateLimit-Policy} and {@code
 * RateLimit} headers of the endpoint's bucket. For an endpoint with a bucket per key, the policy is
 * each key's and a rejection's {@code RateLimit} says {@code r=0} until the retry time: the answer
 * never reads (or creates) a bucket shared by all keys.
 *
 * <p>Lowest precedence: the application's own exception handlers win.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ResilienceExceptionHandler {

  private final RejectionAnswers answers;

  /** Creates the handler; it reads bucket state for the rate-limit headers from the registry. */
  public ResilienceExceptionHandler(ResilienceRegistry registry) {
    this.answers = new RejectionAnswers(registry);
  }

  /** Answers {@code 429} to a call whose endpoint's bucket was empty. */
  @ExceptionHandler(RateLimitedException.class)
  public ResponseEntity<ProblemDetail> rateLimited(
      RateLimitedException rejection, HttpServletResponse response) {
    return answer(rejection, response);
  }

  /** Answers {@code 503} to a call rejected by an open breaker. */
  @ExceptionHandler(CircuitOpenException.class)
  public ResponseEntity<ProblemDetail> circuitOpen(
      CircuitOpenException rejection, HttpServletResponse response) {
    return answer(rejection, response);
  }

  /** Answers {@code 503} to a call that found its endpoint's bulkhead full. */
  @ExceptionHandler(BulkheadFullException.class)
  public ResponseEntity<ProblemDetail> bulkheadFull(
      BulkheadFullException rejection, HttpServletResponse response) {
    return answer(rejection, response);
  }

  /**
   * @param response the answer so far, whose rate-limit headers (an inbound rule's) ours join
   */
  private ResponseEntity<ProblemDetail> answer(
      CallRejectedException rejection, HttpServletResponse response) {
    RejectionAnswers.Answer answer = answers.answer(rejection, response::getHeader);
    return ResponseEntity.status(answer.status())
        .headers(answer.headers())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(answer.problem());
  }
}
