package dev.resilience.spring.actuate;

import dev.resilience.spring.Guarded;

/** An endpoint named like its own breaker, so that one name answers both a breaker and a bucket. */
public class QuoteClient {

  @Guarded(endpoint = "quote", breaker = "quote")
  public String quote() {
    return "42.0";
  }
}
