package dev.resilience.sample.trading;

import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The app's answers to its own errors. A failure of the exchange that reaches the caller is a
 * {@code 502 Bad Gateway}; a bad request body is a {@code 400} that says what is wrong. Rejections
 * by the breaker or the limiter are answered by the resilience starter (429/503).
 */
@RestControllerAdvice
class TradingErrors {

  @ExceptionHandler(RestClientException.class)
  ProblemDetail downstreamFailed(RestClientException failure) {
    String cause =
        failure instanceof RestClientResponseException response
            ? "the exchange answered " + response.getStatusCode().value()
            : "the exchange could not be reached: " + failure.getMessage();
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, cause);
    problem.setTitle("Exchange failure");
    if (failure instanceof RestClientResponseException response) {
      problem.setProperty("exchangeStatus", response.getStatusCode().value());
    }
    return problem;
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ProblemDetail invalid(MethodArgumentNotValidException invalid) {
    String reasons =
        invalid.getBindingResult().getFieldErrors().stream()
            .map(error -> error.getField() + " " + error.getDefaultMessage())
            .sorted()
            .collect(Collectors.joining("; "));
    return badRequest(reasons);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException unreadable) {
    return badRequest("the body is not a valid order: send JSON like {\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1}");
  }

  private static ProblemDetail badRequest(String reason) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(400), reason);
    problem.setTitle("Invalid order");
    return problem;
  }
}
