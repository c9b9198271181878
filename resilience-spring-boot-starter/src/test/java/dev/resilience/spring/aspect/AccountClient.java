package dev.resilience.spring.aspect;

import dev.resilience.spring.Guarded;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A bean whose @Guarded methods are keyed by the caller's account, in every way a key is read. */
public class AccountClient {

  /** An order as a caller sends it; the account may be missing. */
  public record OrderRequest(String account, String symbol) {}

  private final AtomicInteger calls = new AtomicInteger();
  private volatile RuntimeException failure;

  public void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  public int calls() {
    return calls.get();
  }

  private String respond(String answer) {
    calls.incrementAndGet();
    RuntimeException toThrow = failure;
    if (toThrow != null) {
      throw toThrow;
    }
    return answer;
  }

  @Guarded(endpoint = "place_order", breaker = "exchange", key = "#request.account")
  public String place(OrderRequest request) {
    return respond("placed " + request.symbol() + " for " + request.account());
  }

  /** The same endpoint, keyed by another parameter: one set of buckets per key for both. */
  @Guarded(endpoint = "place_order", breaker = "exchange", key = "#account")
  public String placeFor(String account, String symbol) {
    return respond("placed " + symbol + " for " + account);
  }

  @Guarded(endpoint = "cancel_order", breaker = "exchange", key = "#p0")
  public String cancel(long accountId, String orderId) {
    return respond("cancelled " + orderId);
  }

  @Guarded(endpoint = "positions", breaker = "exchange", key = "#root.args[1] + ':' + #a0")
  public String positions(String account, String desk) {
    return respond("positions of " + account);
  }

  @Guarded(endpoint = "quote", key = "#account", fallback = "cachedQuote")
  public String quote(String account, String symbol) {
    return respond("live " + symbol);
  }

  String cachedQuote(String account, String symbol, Throwable error) {
    return "cached " + symbol + " after " + error.getClass().getSimpleName();
  }

  @Guarded(endpoint = "async_place", key = "#request.account")
  public CompletableFuture<String> placeAsync(OrderRequest request) {
    return CompletableFuture.completedFuture(respond("placed " + request.symbol()));
  }

  @Guarded(endpoint = "async_quote", key = "#account", fallback = "cachedQuoteAsync")
  public CompletableFuture<String> quoteAsync(String account, String symbol) {
    return CompletableFuture.completedFuture(respond("live " + symbol));
  }

  CompletableFuture<String> cachedQuoteAsync(String account, String symbol) {
    return CompletableFuture.completedFuture("cached " + symbol);
  }
}
