package dev.resilience.sample.trading;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a caller sends to place an order.
 *
 * @param symbol e.g. {@code BTC-USD}
 * @param side {@code BUY} or {@code SELL}
 * @param qty greater than zero and at most {@value #MAX_QTY}; so neither infinite nor NaN, which
 *     JSON can smuggle in as {@code 1e309} or {@code "NaN"}
 * @param account the trading account the order is for (optional, {@value #DEFAULT_ACCOUNT} when
 *     left out): each account has its own {@code place_order} bucket, so that one account's burst
 *     cannot starve another's
 */
public record OrderRequest(
    @NotBlank @Pattern(regexp = OrderRequest.SYMBOL_PATTERN, message = "must look like BTC-USD")
        String symbol,
    @NotNull @Pattern(regexp = "BUY|SELL", message = "must be BUY or SELL") String side,
    @NotNull
        @DecimalMin(value = "0", inclusive = false, message = OrderRequest.QTY_RANGE)
        @DecimalMax(value = OrderRequest.MAX_QTY, message = OrderRequest.QTY_RANGE)
        Double qty,
    @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1 to 64 of A-Z a-z 0-9 _ . -")
        @Nullable String account) {

  /** A symbol: 2 to 10 capital letters or digits, a dash, 2 to 10 more, e.g. {@code BTC-USD}. */
  public static final String SYMBOL_PATTERN = "[A-Z0-9]{2,10}-[A-Z0-9]{2,10}";

  /** The account of an order that names none. */
  public static final String DEFAULT_ACCOUNT = "default";

  /** Returns the account the order is for, {@value #DEFAULT_ACCOUNT} when it names none. */
  @Override
  public String account() {
    return account == null ? DEFAULT_ACCOUNT : account;
  }

  /** The largest quantity one order may carry. */
  public static final String MAX_QTY = "1000000";

  /** One reason for every quantity out of range, whichever bound it missed. */
  static final String QTY_RANGE = "must be greater than 0 and at most " + MAX_QTY;
}
