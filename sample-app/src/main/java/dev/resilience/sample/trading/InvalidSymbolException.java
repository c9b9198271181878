package dev.resilience.sample.trading;

/** A quote was asked for a symbol that cannot exist on the exchange. */
class InvalidSymbolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String symbol;

  InvalidSymbolException(String symbol) {
    super("invalid symbol");
    this.symbol = symbol;
  }

  String symbol() {
    return symbol;
  }
}
