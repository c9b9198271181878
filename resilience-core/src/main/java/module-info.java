/**
 * Circuit breakers and token-bucket rate limiters in plain Java, with no runtime dependency.
 *
 * <p>Only {@code dev.resilience.core} is exported: its interfaces and value types are the whole
 * public API; the implementations behind its factories are package-private.
 */
module dev.resilience.core {
  requires static transitive org.jspecify;
  requires java.net.http; // only to recognise HttpTimeoutException as a timeout

  exports dev.resilience.core;
}
