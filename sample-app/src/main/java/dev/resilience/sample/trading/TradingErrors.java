package dev.resilience.sample.trading;

import dev.resilience.sample.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedRuntimeException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The trading API's answers to its own errors; other endpoints (the actuator, the chaos switch)
 * answer theirs. A failure of the exchange that reaches the caller is a {@code 502 Bad Gateway}
 * that says what happened without the exchange's address or the client's exception text (those go
 * to the log, for operators); cancelling an order the exchange does not know is a {@code 404}; a
 * bad request body or quote symbol is a {@code 400} that says what is wrong. Rejections by the
 * breaker or the limiter are answered by the resilience starter (429/503).
 */
@RestControllerAdvice(assignableTypes = {OrderController.class, QuoteController.class})
class TradingErrors {

  private static final Logger log = LoggerFactory.getLogger(TradingErrors.class);
  private static final String EXAMPLE = "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1}";
  private static final String INVALID = "Invalid order";
  private static final String EXCHANGE_FAILURE = "Exchange failure";

  @ExceptionHandler(RestClientResponseException.class)
  ProblemDetail exchangeAnswered(RestClientResponseException failure, HttpServletRequest request) {
    int status = failure.getStatusCode().value();
    ProblemDetail problem =
        Problems.problem(502, EXCHANGE_FAILURE, "the exchange answered " + status, request);
    problem.setProperty("exchangeStatus", status);
    return problem;
  }

  /** The reactive client's counterpart of {@link #exchangeAnswered}, for quotes. */
  @ExceptionHandler(WebClientResponseException.class)
  ProblemDetail exchangeAnsweredQuote(
      WebClientResponseException failure, HttpServletRequest request) {
    int status = failure.getStatusCode().value();
    ProblemDetail problem =
        Problems.problem(502, EXCHANGE_FAILURE, "the exchange answered " + status, request);
    problem.setProperty("exchangeStatus", status);
    return problem;
  }

  @ExceptionHandler(InvalidSymbolException.class)
  ProblemDetail invalidSymbol(InvalidSymbolException invalid, HttpServletRequest request) {
    return Problems.problem(
        400,
        "Invalid symbol",
        "symbol '" + Problems.echo(invalid.symbol()) + "' must look like BTC-USD",
        request);
  }

  /** The exchange could not be reached or did not answer in time, by either client. */
  @ExceptionHandler({ResourceAccessException.class, WebClientRequestException.class})
  ProblemDetail exchangeUnreachable(NestedRuntimeException failure, HttpServletRequest request) {
    String what =
        isReadTimeout(failure)
            ? "the exchange did not answer in time"
            : "the exchange could not be reached";
    log.warn("{}: {} ({})", what, failure.getMessage(), failure.getMostSpecificCause().toString());
    return Problems.problem(502, EXCHANGE_FAILURE, what, request);
  }

  /** Anything else either client throws: the exchange answered, but not with what we can read. */
  @ExceptionHandler({RestClientException.class, WebClientException.class})
  ProblemDetail exchangeUnreadable(NestedRuntimeException failure, HttpServletRequest request) {
    log.warn("The exchange's answer could not be read: {}", failure.toString());
    return Problems.problem(
        502, EXCHANGE_FAILURE, "the exchange sent an answer that could not be read", request);
  }

  @ExceptionHandler(UnknownOrderException.class)
  ProblemDetail unknownOrder(UnknownOrderException unknown, HttpServletRequest request) {
    return Problems.problem(
        404, "Order not found", "order '" + Problems.echo(unknown.id()) + "' not found", request);
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ProblemDetail invalid(MethodArgumentNotValidException invalid, HttpServletRequest request) {
    return Problems.problem(400, INVALID, Problems.invalidFields(invalid), request);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException unreadable, HttpServletRequest request) {
    return Problems.problem(
        400,
        INVALID,
        Problems.unreadableBody(unreadable, "order", OrderRequest.class, EXAMPLE),
        request);
  }

  /** A connect timeout means unreachable; any other timeout means the exchange was too slow. */
  private static boolean isReadTimeout(Exception failure) {
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpConnectTimeoutException) {
        return false;
      }
      if (cause instanceof HttpTimeoutException
          || cause instanceof SocketTimeoutException
          || cause instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
