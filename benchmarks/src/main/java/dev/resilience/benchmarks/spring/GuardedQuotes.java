package dev.resilience.benchmarks.spring;

import dev.resilience.spring.Guarded;

/** The same bean guarded by our breaker and bucket through {@code @Guarded}. */
public class GuardedQuotes {

  /** Returns the symbol, through our aspect. */
  @Guarded(endpoint = QuoteApplication.NAME)
  public String quote(String symbol) {
    return symbol;
  }
}
