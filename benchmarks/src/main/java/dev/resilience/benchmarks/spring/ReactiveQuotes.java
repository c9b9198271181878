package dev.resilience.benchmarks.spring;

import dev.resilience.spring.Guarded;
import reactor.core.publisher.Mono;

/**
 * A reactive bean guarded by our breaker and bucket through {@code @Guarded}: the starter's Reactor
 * path (admission on subscription, outcome on the terminal signal).
 */
public class ReactiveQuotes {

  /**
   * Not final, so that the JIT must read it on every call. {@code hide()}: a WebClient's {@code
   * Mono} is no {@code Callable}, and without it {@code block()} would read the value without
   * subscribing at all, so the unguarded floor would measure nothing.
   */
  private Mono<String> source = Mono.fromSupplier(() -> "BTC-USD").hide();

  /** Returns the downstream's {@code Mono} itself, unguarded: what the other variants wrap. */
  public Mono<String> source() {
    return source;
  }

  /** Returns the downstream's {@code Mono}, through our aspect. */
  @Guarded(endpoint = QuoteApplication.REACTIVE_NAME)
  public Mono<String> quote() {
    return source;
  }
}
