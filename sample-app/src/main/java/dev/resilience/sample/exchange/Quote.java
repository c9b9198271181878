package dev.resilience.sample.exchange;

import java.time.Instant;

/**
 * The exchange's best prices for one symbol at one moment.
 *
 * @param symbol e.g. {@code BTC-USD}
 * @param bid the highest price a buyer offers
 * @param ask the lowest price a seller asks, above {@code bid}
 * @param time when the exchange quoted it
 */
public record Quote(String symbol, double bid, double ask, Instant time) {}
