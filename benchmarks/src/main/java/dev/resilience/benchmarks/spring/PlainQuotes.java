package dev.resilience.benchmarks.spring;

/** A bean with no annotation: what calling through Spring costs without any aspect. */
public class PlainQuotes {

  /** Returns the symbol: a call with no work of its own, so only the wrapping is measured. */
  public String quote(String symbol) {
    return symbol;
  }
}
