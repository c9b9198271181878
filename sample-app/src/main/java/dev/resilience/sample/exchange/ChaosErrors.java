package dev.resilience.sample.exchange;

import dev.resilience.sample.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The chaos switch's answers to a bad setting: a {@code 400} that says what is wrong. */
@RestControllerAdvice(assignableTypes = ChaosController.class)
class ChaosErrors {

  private static final String EXAMPLE = "{\"status\":503,\"failureRate\":1.0,\"latencyMs\":0}";
  private static final String INVALID = "Invalid chaos setting";

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ProblemDetail invalid(MethodArgumentNotValidException invalid, HttpServletRequest request) {
    return Problems.problem(400, INVALID, Problems.invalidFields(invalid), request);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException unreadable, HttpServletRequest request) {
    return Problems.problem(
        400,
        INVALID,
        Problems.unreadableBody(unreadable, "chaos setting", Chaos.class, EXAMPLE),
        request);
  }
}
