package dev.resilience.core;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** {@link FailureClassifier#jdk()}: an enum for a serialisation-safe singleton. */
enum JdkFailureClassifier implements FailureClassifier {
  INSTANCE;

  private static final int MAX_CAUSES = 32;

  @Override
  public @Nullable String classify(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof SocketTimeoutException
          || t instanceof HttpTimeoutException
          || t instanceof TimeoutException) {
        return TIMEOUT;
      }
      if (t instanceof IOException) {
        return NETWORK;
      }
    }
    return null;
  }
}
