package dev.resilience.benchmarks.spring;

/** The same bean behind {@link PassThroughAspect}: Spring AOP with an advice that adds nothing. */
public class PassThroughQuotes {

  /** Returns the symbol, through an advice that only proceeds. */
  @PassThrough
  public String quote(String symbol) {
    return symbol;
  }
}
