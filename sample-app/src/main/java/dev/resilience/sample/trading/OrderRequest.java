package dev.resilience.sample.trading;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * What a caller sends to place an order.
 *
 * @param symbol e.g. {@code BTC-USD}
 * @param side {@code BUY} or {@code SELL}
 * @param qty greater than zero
 */
public record OrderRequest(
    @NotBlank @Pattern(regexp = "[A-Z0-9]{2,10}-[A-Z0-9]{2,10}", message = "must look like BTC-USD") String symbol,
    @NotNull @Pattern(regexp = "BUY|SELL", message = "must be BUY or SELL") String side,
    @NotNull @Positive Double qty) {}
