package dev.resilience.sample.trading;

/** The exchange does not know the order a caller wants to cancel: answered {@code 404}. */
final class UnknownOrderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String id;

  UnknownOrderException(String id, Throwable cause) {
    super("No open order with the given id", cause);
    this.id = id;
  }

  /** The id as the caller sent it, unbounded: cap it before echoing it. */
  String id() {
    return id;
  }
}
