package dev.resilience.benchmarks.spring;

import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.ratelimiter.annotation.RateLimiter;

/** The same bean guarded by Resilience4j's breaker and rate limiter through its annotations. */
public class Resilience4jQuotes {

  /** Returns the symbol, through Resilience4j's two aspects. */
  @CircuitBreaker(name = QuoteApplication.NAME)
  @RateLimiter(name = QuoteApplication.NAME)
  public String quote(String symbol) {
    return symbol;
  }
}
