package dev.resilience.sample.operator;

import dev.resilience.sample.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code 401} of an operator-only request: the HTTP Basic challenge ({@code WWW-Authenticate})
 * and a {@code problem+json} body that says what was missing, as every other answer of the app does
 * ({@link Problems}). Spring Security's own entry point would send the challenge with Spring Boot's
 * error body, which cannot say what to send.
 */
final class OperatorEntryPoint implements AuthenticationEntryPoint {

  static final String REALM = "resilience sample operator";

  private static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

  // the mixin writes a problem as MVC's own converters do: its properties at the top level
  private static final JsonMapper JSON =
      JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
      throws IOException {
    // a wrong user name and a wrong password get the same answer: which one was wrong stays unsaid
    String detail =
        refused instanceof BadCredentialsException
            ? "the operator's user name or password is wrong"
            : "this is for the operator only: send the operator's user name and password with"
                + " HTTP Basic";
    ProblemDetail problem = Problems.problem(401, "Unauthorized", detail, request);
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    JSON.writeValue(response.getOutputStream(), problem);
  }
}
