package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTest {

  static Stream<Arguments> exceptions() {
    return Stream.of(
        Arguments.of(new SocketTimeoutException("read timed out"), "timeout"),
        Arguments.of(new HttpTimeoutException("request timed out"), "timeout"),
        Arguments.of(new TimeoutException(), "timeout"),
        Arguments.of(new ConnectException("refused"), "network"),
        Arguments.of(new UnknownHostException("exchange.invalid"), "network"),
        Arguments.of(new IOException("connection reset"), "network"),
        Arguments.of(new UncheckedIOException(new SocketTimeoutException()), "timeout"),
        Arguments.of(new CompletionException(new ConnectException()), "network"),
        Arguments.of(new ExecutionException(new TimeoutException()), "timeout"),
        Arguments.of(new IllegalArgumentException("qty must be positive"), null),
        Arguments.of(new IllegalStateException("insufficient funds"), null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("exceptions")
  void jdkClassifierCountsTimeoutsAndNetworkErrorsAndNothingElse(Throwable error, String code) {
    assertThat(FailureClassifier.jdk().classify(error)).isEqualTo(code);
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource(value = {"429, 429", "500, 500", "503, 503", "599, 599", "400, null", "404, null", "409, null", "200, null"}, nullValues = "null")
  void onlyTooManyRequestsAndServerErrorsAreHttpFailures(int status, String code) {
    assertThat(FailureCodes.ofHttpStatus(status)).isEqualTo(code);
  }

  @ParameterizedTest
  @MethodSource("wrapped")
  void unwrapLooksThroughWrappersOnly(Throwable wrapped, Class<?> expected) {
    assertThat(FailureClassifier.unwrap(wrapped)).isInstanceOf(expected);
  }

  static Stream<Arguments> wrapped() {
    IllegalStateException business = new IllegalStateException("rejected", new IOException());
    return Stream.of(
        Arguments.of(new CompletionException(new ExecutionException(business)), IllegalStateException.class),
        Arguments.of(new InvocationTargetException(business), IllegalStateException.class),
        Arguments.of(business, IllegalStateException.class),
        Arguments.of(new CompletionException(null), CompletionException.class));
  }
}
