package dev.resilience.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether an exception thrown by a guarded call counts against the downstream, and with
 * which failure code.
 *
 * <p>Codes ({@link FailureCodes}): {@code 429} and HTTP 5xx numbers ({@code 503}) for HTTP answers,
 * {@code timeout}, {@code network} for connection and other I/O errors. An exception that says
 * nothing about the downstream (validation, a 404, a business rule) is not a failure: {@code
 * classify} returns null and the call is neither a success nor a failure for the breaker.
 */
@FunctionalInterface
public interface FailureClassifier {

  /** How deep a cause chain is looked into. */
  int MAX_CAUSES = 32;

  /**
   * Returns the failure code of {@code error}, or null if it does not count as a failure.
   *
   * @param error what the call threw, as thrown (wrappers not yet removed)
   */
  @Nullable String classify(Throwable error);

  /**
   * Returns the classifier of the JDK's exceptions: timeouts ({@code SocketTimeoutException},
   * {@code HttpTimeoutException}, {@code TimeoutException}) are {@code timeout}; {@code
   * ConnectException}, {@code UnknownHostException} and any other {@code IOException} are {@code
   * network}; anything else is not a failure. Wrappers ({@link ExecutionException}, {@link
   * CompletionException}, reflection wrappers) are looked through, and so is every cause.
   */
  static FailureClassifier jdk() {
    return JdkFailureClassifier.INSTANCE;
  }

  /**
   * Returns a classifier that asks {@code each} about the error, then about each of its causes in
   * turn (at most {@value #MAX_CAUSES} deep, safe against cycles), and answers the first code it
   * gives: the one walk of a cause chain that every classifier uses.
   */
  static FailureClassifier throughCauses(FailureClassifier each) {
    Objects.requireNonNull(each, "each");
    return error -> {
      Throwable t = error;
      for (int depth = 0; t != null && depth < MAX_CAUSES; depth++) {
        String code = each.classify(t);
        if (code != null) {
          return code;
        }
        Throwable cause = t.getCause();
        t = cause == t ? null : cause;
      }
      return null;
    };
  }

  /** Returns the first cause in the chain of {@code error} that is not a mere wrapper. */
  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    for (int depth = 0; depth < MAX_CAUSES; depth++) {
      Throwable cause = current.getCause();
      boolean wrapper =
          current instanceof ExecutionException
              || current instanceof CompletionException
              || current instanceof InvocationTargetException
              || current instanceof UndeclaredThrowableException;
      if (!wrapper || cause == null || cause == current) {
        return current;
      }
      current = cause;
    }
    return current;
  }
}
