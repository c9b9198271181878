package dev.resilience.spring.aspect;

import dev.resilience.spring.Guarded;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A bean with every kind of @Guarded method; tests decide what the "downstream" does. */
public class ExchangeClient {

  private final AtomicInteger calls = new AtomicInteger();
  private volatile RuntimeException failure;
  private volatile CompletableFuture<String> pending;

  // Tests talk to the proxy: state goes through methods, which reach the target.
  public void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  public void answerWith(CompletableFuture<String> pending) {
    this.pending = pending;
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

  @Guarded(endpoint = "place_order", breaker = "exchange")
  public String place(String symbol) {
    return respond("placed " + symbol);
  }

  @Guarded(endpoint = "cancel_order", breaker = "exchange")
  public String cancel(String id) {
    return respond("cancelled " + id);
  }

  @Guarded(endpoint = "health", breaker = "exchange", allowlist = true)
  public String health() {
    return respond("up");
  }

  @Guarded(endpoint = "quote", fallback = "cachedQuote")
  public String quote(String symbol) {
    return respond("live " + symbol);
  }

  String cachedQuote(String symbol, Throwable error) {
    return "cached " + symbol + " after " + error.getClass().getSimpleName();
  }

  @Guarded(endpoint = "async_quote")
  public CompletableFuture<String> asyncQuote(String symbol) {
    calls.incrementAndGet();
    return pending;
  }

  @Guarded(endpoint = "async_fallback", fallback = "asyncCached")
  public CompletableFuture<String> asyncWithFallback(String symbol) {
    calls.incrementAndGet();
    return pending;
  }

  CompletableFuture<String> asyncCached(String symbol) {
    return CompletableFuture.completedFuture("cached " + symbol);
  }
}
