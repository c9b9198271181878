package dev.resilience.core;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * {@link FailureClassifier#jdk()}: the JDK's timeouts and I/O errors, anywhere in the cause chain.
 */
final class JdkFailureClassifier {

  static final FailureClassifier INSTANCE =
      FailureClassifier.throughCauses(JdkFailureClassifier::classifyOne);

  private JdkFailureClassifier() {}

  private static @Nullable String classifyOne(Throwable t) {
    if (t instanceof SocketTimeoutException
        || t instanceof HttpTimeoutException
        || t instanceof TimeoutException) {
      return FailureCodes.TIMEOUT;
    }
    return t instanceof IOException ? FailureCodes.NETWORK : null;
  }
}
