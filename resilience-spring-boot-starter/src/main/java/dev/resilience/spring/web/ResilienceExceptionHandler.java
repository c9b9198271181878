package dev.resilience.spring.web;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CallRejectedException;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import jakarta.servlet.http.HttpServletResponse;
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

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ResilienceRegistry registry;

  /** Creates the handler; it reads bucket state for the rate-limit headers from the registry. */
  public ResilienceExceptionHandler(ResilienceRegistry registry) {
    this.registry = registry;
  }

  /** Answers {@code 429} to a call whose endpoint's bucket was empty. */
  @ExceptionHandler(RateLimitedException.class)
  public ResponseEntity<ProblemDetail> rateLimited(
      RateLimitedException rejection, HttpServletResponse response) {
    return answer(
        HttpStatus.TOO_MANY_REQUESTS,
        rejection,
        "Rate limit of '" + rejection.endpoint() + "' reached",
        true,
        response);
  }

  /** Answers {@code 503} to a call rejected by an open breaker. */
  @ExceptionHandler(CircuitOpenException.class)
  public ResponseEntity<ProblemDetail> circuitOpen(
      CircuitOpenException rejection, HttpServletResponse response) {
    ResponseEntity<ProblemDetail> answer =
        answer(
            HttpStatus.SERVICE_UNAVAILABLE,
            rejection,
            "Circuit breaker '"
                + rejection.breaker()
                + "' is open: calls to '"
                + rejection.endpoint()
                + "' fail fast",
            false,
            response);
    ProblemDetail body = answer.getBody();
    if (body != null) {
      body.setProperty("breaker", rejection.breaker());
    }
    return answer;
  }

  /** Answers {@code 503} to a call that found its endpoint's bulkhead full. */
  @ExceptionHandler(BulkheadFullException.class)
  public ResponseEntity<ProblemDetail> bulkheadFull(
      BulkheadFullException rejection, HttpServletResponse response) {
    ResponseEntity<ProblemDetail> answer =
        answer(
            HttpStatus.SERVICE_UNAVAILABLE,
            rejection,
            "Bulkhead of '"
                + rejection.endpoint()
                + "' is full: "
                + rejection.maxConcurrent()
                + " calls are in flight already",
            false,
            response);
    ProblemDetail body = answer.getBody();
    if (body != null) {
      body.setProperty("maxConcurrent", rejection.maxConcurrent());
    }
    return answer;
  }

  /**
   * The answer to a rejection: status, problem body, {@code Retry-After} and rate-limit headers.
   *
   * @param bucketEmpty whether the caller's bucket turned the call away (rather than the breaker)
   * @param response the answer so far, whose rate-limit headers (an inbound rule's) ours join
   */
  private ResponseEntity<ProblemDetail> answer(
      HttpStatus status,
      CallRejectedException rejection,
      String detail,
      boolean bucketEmpty,
      HttpServletResponse response) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setProperty("endpoint", rejection.endpoint());
    problem.setProperty("retryAfterMs", rejection.retryAfter().toMillis());
    HttpHeaders headers = new HttpHeaders();
    headers.set(
        HttpHeaders.RETRY_AFTER,
        Long.toString(Math.max(1, secondsRoundedUp(rejection.retryAfterNanos()))));
    String name = '"' + rejection.endpoint() + '"';
    RateLimiter limiter = registry.findRateLimiter(rejection.endpoint());
    if (limiter != null) {
      headers.set("RateLimit-Policy", policy(name, limiter.config()));
      headers.set(
          "RateLimit",
          name
              + ";r="
              + (long) Math.floor(limiter.availableTokens())
              + ";t="
              + secondsRoundedUp(limiter.nanosUntilToken()));
    } else if (registry.findKeyedRateLimiter(rejection.endpoint()) != null) {
      // A keyed endpoint: every key has the endpoint's rate and burst, so the policy is known.
      // The rejection does not say whose key it was (nor may the answer), so the state shown is
      // the one a rejection implies: the caller's bucket is empty until its retry time.
      // A breaker's rejection says nothing about the caller's bucket: the policy only.
      headers.set(
          "RateLimit-Policy", policy(name, registry.rateLimiterConfig(rejection.endpoint())));
      if (bucketEmpty) {
        headers.set("RateLimit", name + ";r=0;t=" + secondsRoundedUp(rejection.retryAfterNanos()));
      }
    }
    joinEarlier(headers, response, "RateLimit-Policy");
    joinEarlier(headers, response, "RateLimit");
    return ResponseEntity.status(status)
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  /**
   * Puts the values an inbound rule already wrote for {@code header} before ours, in one list: the
   * answer's headers replace the response's, which would leave one policy's {@code RateLimit}
   * beside another's {@code RateLimit-Policy}.
   */
  private static void joinEarlier(
      HttpHeaders headers, HttpServletResponse response, String header) {
    String earlier = response.getHeader(header);
    String ours = headers.getFirst(header);
    if (earlier != null && !earlier.isEmpty()) {
      headers.set(header, ours == null ? earlier : earlier + ", " + ours);
    }
  }

  private static String policy(String name, RateLimiterConfig config) {
    return name + ";q=" + config.burst() + ";w=" + secondsRoundedUp(config.refillTime().toNanos());
  }

  private static long secondsRoundedUp(long nanos) {
    return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
  }
}
