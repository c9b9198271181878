package dev.resilience.spring.classify;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.FailureCodes;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The default classifier: Spring's HTTP client exceptions by status ({@code RestClient}, {@code
 * RestTemplate}, and {@code WebClient} when WebFlux is present), then the JDK's timeouts and
 * network errors. Causes are looked through. A 4xx other than 429 is not a failure.
 */
public final class HttpFailureClassifier implements FailureClassifier {

  private static final boolean SPRING_WEB =
      ClassUtils.isPresent("org.springframework.web.client.RestClientResponseException", null);
  private static final boolean WEBFLUX =
      ClassUtils.isPresent(
          "org.springframework.web.reactive.function.client.WebClientResponseException", null);

  private static final FailureClassifier BY_STATUS =
      FailureClassifier.throughCauses(HttpFailureClassifier::statusCode);

  @Override
  public @Nullable String classify(Throwable error) {
    String code = BY_STATUS.classify(error);
    if (code != null) {
      return code;
    }
    code = FailureClassifier.jdk().classify(error);
    if (code == null && SPRING_WEB && SpringWeb.isAccessFailure(error)) {
      return FailureCodes.NETWORK;
    }
    return code;
  }

  /** The code of one throwable that is an HTTP client's answer; null for anything else. */
  private static @Nullable String statusCode(Throwable t) {
    int status = SPRING_WEB ? SpringWeb.status(t) : -1;
    if (status < 0 && WEBFLUX) {
      status = WebFlux.status(t);
    }
    return status < 0 ? null : FailureCodes.ofHttpStatus(status);
  }

  /** Kept apart so that it loads only when spring-web is on the class path. */
  private static final class SpringWeb {

    static int status(Throwable t) {
      return t instanceof RestClientResponseException e ? e.getStatusCode().value() : -1;
    }

    static boolean isAccessFailure(Throwable error) {
      return FailureClassifier.unwrap(error) instanceof ResourceAccessException;
    }
  }

  /** Kept apart so that it loads only when WebFlux is on the class path. */
  private static final class WebFlux {

    static int status(Throwable t) {
      return t instanceof WebClientResponseException e ? e.getStatusCode().value() : -1;
    }
  }
}
