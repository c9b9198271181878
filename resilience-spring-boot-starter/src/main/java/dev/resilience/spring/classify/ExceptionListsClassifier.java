package dev.resilience.spring.classify;

import dev.resilience.core.FailureClassifier;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Applies a breaker's {@code ignore-exceptions} and {@code record-exceptions} around another
 * classifier. An ignored exception never counts, whatever the other classifier says; a recorded one
 * counts under the simple name of the listed class when the other classifier would let it pass.
 */
public final class ExceptionListsClassifier implements FailureClassifier {

  private final List<Class<? extends Throwable>> ignore;
  private final List<Class<? extends Throwable>> record;
  private final FailureClassifier delegate;

  /**
   * Creates the classifier.
   *
   * @param ignore exceptions that never count
   * @param record exceptions that count though the delegate would let them pass
   * @param delegate the classifier that decides everything else
   */
  public ExceptionListsClassifier(
      List<Class<? extends Throwable>> ignore,
      List<Class<? extends Throwable>> record,
      FailureClassifier delegate) {
    this.ignore = List.copyOf(ignore);
    this.record = List.copyOf(record);
    this.delegate = delegate;
  }

  @Override
  public @Nullable String classify(Throwable error) {
    Throwable cause = FailureClassifier.unwrap(error);
    for (Class<? extends Throwable> type : ignore) {
      if (type.isInstance(cause)) {
        return null;
      }
    }
    String code = delegate.classify(error);
    if (code != null) {
      return code;
    }
    for (Class<? extends Throwable> type : record) {
      if (type.isInstance(cause)) {
        return type.getSimpleName();
      }
    }
    return null;
  }
}
