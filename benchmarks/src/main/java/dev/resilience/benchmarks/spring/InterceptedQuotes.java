package dev.resilience.benchmarks.spring;

import reactor.core.publisher.Mono;

/**
 * The same methods behind a {@code MethodInterceptor} that only proceeds: the floor of
 * {@code @Guarded}, which is woven the same way (an advisor, as {@code @Transactional} is), so that
 * what {@code @Guarded} costs on top of it is the starter's own work.
 */
public class InterceptedQuotes {

  private Mono<String> source = Mono.fromSupplier(() -> "BTC-USD").hide();

  /** Returns the symbol, through an interceptor that only proceeds. */
  @Intercepted
  public String quote(String symbol) {
    return symbol;
  }

  /** Returns the same {@code Mono} as {@link ReactiveQuotes}, through that interceptor. */
  @Intercepted
  public Mono<String> quoteMono() {
    return source;
  }
}
