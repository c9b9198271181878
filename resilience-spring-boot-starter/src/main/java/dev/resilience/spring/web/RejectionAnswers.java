package dev.resilience.spring.web;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CallRejectedException;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The answer to a rejected call, the same under Spring MVC and WebFlux (SPEC §8): the status, the
 * problem body, {@code Retry-After} and the IETF rate-limit headers. Knows neither stack: each
 * handler passes the headers an inbound rule already wrote and writes the answer its own way.
 */
final class RejectionAnswers {

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  /** One answer: its status, headers and problem+json body. */
  record Answer(HttpStatus status, HttpHeaders headers, ProblemDetail problem) {}

  private final ResilienceRegistry registry;

  RejectionAnswers(ResilienceRegistry registry) {
    this.registry = registry;
  }

  /**
   * The answer to {@code rejection}.
   *
   * @param earlier the value an inbound rule already wrote for a header, or null
   */
  Answer answer(CallRejectedException rejection, Function<String, @Nullable String> earlier) {
    if (rejection instanceof RateLimitedException) {
      return answer(
          HttpStatus.TOO_MANY_REQUESTS,
          rejection,
          "Rate limit of '" + rejection.endpoint() + "' reached",
          true,
          earlier);
    }
    if (rejection instanceof CircuitOpenException open) {
      Answer answer =
          answer(
              HttpStatus.SERVICE_UNAVAILABLE,
              rejection,
              "Circuit breaker '"
                  + open.breaker()
                  + "' is open: calls to '"
                  + open.endpoint()
                  + "' fail fast",
              false,
              earlier);
      answer.problem().setProperty("breaker", open.breaker());
      return answer;
    }
    if (rejection instanceof BulkheadFullException full) {
      Answer answer =
          answer(
              HttpStatus.SERVICE_UNAVAILABLE,
              rejection,
              // the exception's own words: they say whether a fixed bulkhead or an adaptive limit
              full.getMessage(),
              false,
              earlier);
      answer.problem().setProperty("maxConcurrent", full.maxConcurrent());
      return answer;
    }
    return answer(
        HttpStatus.SERVICE_UNAVAILABLE, rejection, rejection.getMessage(), false, earlier);
  }

  /**
   * @param bucketEmpty whether the caller's bucket turned the call away (rather than the breaker)
   */
  private Answer answer(
      HttpStatus status,
      CallRejectedException rejection,
      String detail,
      boolean bucketEmpty,
      Function<String, @Nullable String> earlier) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setProperty("endpoint", rejection.endpoint());
    // a rejection that knows no wait (a full bulkhead or adaptive limit) advises what its
    // Retry-After header does, one second, rather than 0, which would read as "retry at once"
    problem.setProperty(
        "retryAfterMs",
        rejection.retryAfterNanos() > 0
            ? rejection.retryAfter().toMillis()
            : TimeUnit.SECONDS.toMillis(1));
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
    joinEarlier(headers, earlier, "RateLimit-Policy");
    joinEarlier(headers, earlier, "RateLimit");
    return new Answer(status, headers, problem);
  }

  /**
   * Puts the values an inbound rule already wrote for {@code header} before ours, in one list: the
   * answer's headers replace the response's, which would leave one policy's {@code RateLimit}
   * beside another's {@code RateLimit-Policy}.
   */
  private static void joinEarlier(
      HttpHeaders headers, Function<String, @Nullable String> earlier, String header) {
    String before = earlier.apply(header);
    String ours = headers.getFirst(header);
    if (before != null && !before.isEmpty()) {
      headers.set(header, ours == null ? before : before + ", " + ours);
    }
  }

  private static String policy(String name, RateLimiterConfig config) {
    return name + ";q=" + config.burst() + ";w=" + secondsRoundedUp(config.refillTime().toNanos());
  }

  private static long secondsRoundedUp(long nanos) {
    return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
  }
}
