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
import org.junit.jupiter.api.Test;
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
  @CsvSource(
      value = {
        "429, 429",
        "500, 500",
        "503, 503",
        "599, 599",
        "400, null",
        "404, null",
        "409, null",
        "200, null"
      },
      nullValues = "null")
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
        Arguments.of(
            new CompletionException(new ExecutionException(business)), IllegalStateException.class),
        Arguments.of(new InvocationTargetException(business), IllegalStateException.class),
        Arguments.of(business, IllegalStateException.class),
        Arguments.of(new CompletionException(null), CompletionException.class));
  }

  /** Returns {@code cause} inside {@code wrappers} layers of {@link CompletionException}. */
  private static Throwable wrapped(Throwable cause, int wrappers) {
    Throwable error = cause;
    for (int i = 0; i < wrappers; i++) {
      error = new CompletionException(error);
    }
    return error;
  }

  private static Throwable causeAt(Throwable error, int depth) {
    Throwable t = error;
    for (int i = 0; i < depth; i++) {
      t = t.getCause();
    }
    return t;
  }

  @Test
  void aClassifierLooksAtTheErrorAndItsFirst31CausesAndNoDeeper() {
    IOException reset = new IOException("connection reset");

    assertThat(FailureClassifier.jdk().classify(wrapped(reset, FailureClassifier.MAX_CAUSES - 1)))
        .as("the 32nd throwable of the chain")
        .isEqualTo("network");
    assertThat(FailureClassifier.jdk().classify(wrapped(reset, FailureClassifier.MAX_CAUSES)))
        .as("the 33rd")
        .isNull();
  }

  @Test
  void aClassifierStopsOnACycleOfCausesAndAnswersNothing() {
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second", first);
    first.initCause(second);

    assertThat(FailureClassifier.jdk().classify(first)).isNull();
  }

  @Test
  void unwrapLooksThroughAtMost32WrappersAndReturnsTheInnermostItReached() {
    IllegalStateException business = new IllegalStateException("rejected");

    assertThat(FailureClassifier.unwrap(wrapped(business, FailureClassifier.MAX_CAUSES)))
        .isSameAs(business);
    Throwable tooDeep = wrapped(business, FailureClassifier.MAX_CAUSES + 1);
    assertThat(FailureClassifier.unwrap(tooDeep))
        .as("the 32nd wrapper's cause: the last wrapper, not looked through")
        .isSameAs(causeAt(tooDeep, FailureClassifier.MAX_CAUSES))
        .isInstanceOf(CompletionException.class);
  }
}
