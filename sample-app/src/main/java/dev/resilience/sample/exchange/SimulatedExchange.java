package dev.resilience.sample.exchange;

import dev.resilience.sample.Problems;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulated exchange: a tiny order book under {@code /sim/exchange}, misbehaving as the {@link
 * ChaosController} says. Not guarded: it is the downstream.
 */
@RestController
public class SimulatedExchange {

  private final Map<String, ExchangeOrder> book = new ConcurrentHashMap<>();
  private final ChaosController chaos;
  private final AtomicLong requests = new AtomicLong();

  SimulatedExchange(ChaosController chaos) {
    this.chaos = chaos;
  }

  @PostMapping("/sim/exchange/orders")
  ResponseEntity<?> place(@RequestBody ExchangeOrder request) throws InterruptedException {
    ResponseEntity<?> failure = misbehave();
    if (failure != null) {
      return failure;
    }
    ExchangeOrder order =
        new ExchangeOrder(
            UUID.randomUUID().toString(), request.symbol(), request.side(), request.qty(), "OPEN");
    book.put(order.id(), order);
    return ResponseEntity.status(HttpStatus.CREATED).body(order);
  }

  @DeleteMapping("/sim/exchange/orders/{id}")
  ResponseEntity<?> cancel(@PathVariable String id) throws InterruptedException {
    ResponseEntity<?> failure = misbehave();
    if (failure != null) {
      return failure;
    }
    ExchangeOrder order = book.remove(id);
    if (order == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(Map.of("error", "no open order " + Problems.echo(id)));
    }
    return ResponseEntity.ok(order.withStatus("CANCELLED"));
  }

  @DeleteMapping("/sim/exchange/orders")
  ResponseEntity<?> cancelAll() throws InterruptedException {
    ResponseEntity<?> failure = misbehave();
    if (failure != null) {
      return failure;
    }
    int cancelled = book.size();
    book.clear();
    return ResponseEntity.ok(Map.of("cancelled", cancelled));
  }

  /**
   * A made-up quote: a price that depends on the symbol, moving a little from one answer to the
   * next, so that a caller can see that each quote is a fresh call.
   */
  @GetMapping("/sim/exchange/quotes/{symbol}")
  ResponseEntity<?> quote(@PathVariable String symbol) throws InterruptedException {
    ResponseEntity<?> failure = misbehave();
    if (failure != null) {
      return failure;
    }
    double mid =
        100 + Math.floorMod(symbol.hashCode(), 50_000) + ThreadLocalRandom.current().nextDouble();
    double bid = Math.round(mid * 100) / 100.0;
    return ResponseEntity.ok(new Quote(symbol, bid, bid + 0.5, Instant.now()));
  }

  @GetMapping("/sim/exchange/health")
  ResponseEntity<?> health() throws InterruptedException {
    ResponseEntity<?> failure = misbehave();
    return failure != null ? failure : ResponseEntity.ok(Map.of("status", "UP"));
  }

  /** Returns how many requests the exchange has seen, answered or failed, since start-up. */
  public long requests() {
    return requests.get();
  }

  private @Nullable ResponseEntity<?> misbehave() throws InterruptedException {
    requests.incrementAndGet();
    ChaosController.Setting setting = chaos.current();
    Chaos now = setting.chaos();
    Semaphore capacity = setting.capacity();
    if (capacity != null) {
      // at most `capacity` requests are served at once: the others queue, so the latency a caller
      // sees grows with how many calls it has in flight, as with a real exchange under load
      capacity.acquire();
      try {
        if (now.latencyMs() > 0) {
          Thread.sleep(now.latencyMs());
        }
      } finally {
        capacity.release();
      }
    } else if (now.latencyMs() > 0) {
      Thread.sleep(now.latencyMs());
    }
    if (now.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < now.failureRate()) {
      ResponseEntity.BodyBuilder failed = ResponseEntity.status(now.status());
      if (now.status() == 429 && now.retryAfterSeconds() != null) {
        failed.header(HttpHeaders.RETRY_AFTER, Integer.toString(now.retryAfterSeconds()));
      }
      return failed.body(Map.of("error", "simulated failure"));
    }
    return null;
  }
}
