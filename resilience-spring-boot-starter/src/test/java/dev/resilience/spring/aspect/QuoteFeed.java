package dev.resilience.spring.aspect;

import dev.resilience.spring.Guarded;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A bean with reactive @Guarded methods; tests decide what the "downstream" publishes. */
public class QuoteFeed {

  private final AtomicInteger calls = new AtomicInteger();
  private volatile Function<String, Mono<String>> quotes = symbol -> Mono.just("quote " + symbol);
  private volatile Function<String, Flux<String>> ticks =
      symbol -> Flux.just(symbol + " 1", symbol + " 2", symbol + " 3");

  // Tests talk to the proxy: state goes through methods, which reach the target.
  public void answerQuotesWith(Function<String, Mono<String>> quotes) {
    this.quotes = quotes;
  }

  public void answerTicksWith(Function<String, Flux<String>> ticks) {
    this.ticks = ticks;
  }

  /** How many times a guarded method ran (the method, not its publisher). */
  public int calls() {
    return calls.get();
  }

  @Guarded(endpoint = "quotes", breaker = "exchange")
  public Mono<String> quote(String symbol) {
    calls.incrementAndGet();
    return quotes.apply(symbol);
  }

  @Guarded(endpoint = "ticks", breaker = "exchange")
  public Flux<String> ticks(String symbol) {
    calls.incrementAndGet();
    return ticks.apply(symbol);
  }

  @Guarded(endpoint = "quote_fallback", fallback = "cachedQuote")
  public Mono<String> quoteOrCached(String symbol) {
    calls.incrementAndGet();
    return quotes.apply(symbol);
  }

  Mono<String> cachedQuote(String symbol, Throwable error) {
    return Mono.just("cached " + symbol + " after " + error.getClass().getSimpleName());
  }

  @Guarded(endpoint = "ticks_fallback", fallback = "noTicks")
  public Flux<String> ticksOrNone(String symbol) {
    calls.incrementAndGet();
    return ticks.apply(symbol);
  }

  Flux<String> noTicks(String symbol) {
    return Flux.just("no ticks for " + symbol);
  }
}
