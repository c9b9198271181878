package dev.resilience.sample.exchange;

/**
 * An order as the exchange knows it.
 *
 * @param id the exchange's id
 * @param symbol e.g. {@code BTC-USD}
 * @param side {@code BUY} or {@code SELL}
 * @param qty a positive quantity
 * @param status {@code OPEN} or {@code CANCELLED}
 */
public record ExchangeOrder(String id, String symbol, String side, double qty, String status) {

  ExchangeOrder withStatus(String next) {
    return new ExchangeOrder(id, symbol, side, qty, next);
  }
}
