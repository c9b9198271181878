package dev.resilience.spring.web;

import dev.resilience.core.CallRejectedException;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.ResilienceRegistry;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers rejected calls that reach Spring MVC: {@link RateLimitedException} with {@code 429 Too
 * Many Requests}, {@link CircuitOpenException} with {@code 503 Service Unavailable}. Both carry
 * {@code Retry-After} (whole seconds, rounded up, at least 1), an RFC 9457 {@code
 * application/problem+json} body, and the IETF {@code RateLimit-Policy} and {@code RateLimit}
 * headers of the endpoint's bucket.
 *
 * <p>Lowest precedence: the application's own exception handlers win.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ResilienceExceptionHandler {

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ResilienceRegistry registry;

  /** Creates the handler; it reads bucket state for the rate-limit headers from the registry. */
  public ResilienceExceptionHandler(ResilienceRegistry registry) {
    this.registry = registry;
  }

  /** Answers {@code 429} to a call whose endpoint's bucket was empty. */
  @ExceptionHandler(RateLimitedException.class)
  public ResponseEntity<ProblemDetail> rateLimited(RateLimitedException rejection) {
    return answer(
        HttpStatus.TOO_MANY_REQUESTS,
        rejection,
        "Rate limit of '" + rejection.endpoint() + "' reached");
  }

  /** Answers {@code 503} to a call rejected by an open breaker. */
  @ExceptionHandler(CircuitOpenException.class)
  public ResponseEntity<ProblemDetail> circuitOpen(CircuitOpenException rejection) {
    ResponseEntity<ProblemDetail> answer =
        answer(
            HttpStatus.SERVICE_UNAVAILABLE,
            rejection,
            "Circuit breaker '"
                + rejection.breaker()
                + "' is open: calls to '"
                + rejection.endpoint()
                + "' fail fast");
    ProblemDetail body = answer.getBody();
    if (body != null) {
      body.setProperty("breaker", rejection.breaker());
    }
    return answer;
  }

  private ResponseEntity<ProblemDetail> answer(
      HttpStatus status, CallRejectedException rejection, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setProperty("endpoint", rejection.endpoint());
    problem.setProperty("retryAfterMs", rejection.retryAfter().toMillis());
    HttpHeaders headers = new HttpHeaders();
    headers.set(
        HttpHeaders.RETRY_AFTER,
        Long.toString(Math.max(1, secondsRoundedUp(rejection.retryAfterNanos()))));
    RateLimiter limiter = registry.findRateLimiter(rejection.endpoint());
    if (limiter != null) {
      String name = '"' + rejection.endpoint() + '"';
      headers.set(
          "RateLimit-Policy",
          name
              + ";q="
              + limiter.config().burst()
              + ";w="
              + secondsRoundedUp(limiter.config().refillTime().toNanos()));
      headers.set(
          "RateLimit",
          name
              + ";r="
              + (long) Math.floor(limiter.availableTokens())
              + ";t="
              + secondsRoundedUp(limiter.nanosUntilToken()));
    }
    return ResponseEntity.status(status)
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static long secondsRoundedUp(long nanos) {
    return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
  }
}
