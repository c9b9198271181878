package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A reactive call's bulkhead slot comes back on every path, under concurrency: successes, counted
 * and ignored failures, rejections and cancellations racing on many threads leave no slot taken and
 * never more calls in flight than the bulkhead allows.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveBulkheadTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(QuoteFeed.class)
          .withPropertyValues(
              "resilience.breaker.fail-threshold=1000000",
              "resilience.rate-limiter.capacity-per-second=1000000",
              "resilience.rate-limiter.burst=1000000",
              "resilience.bulkhead.endpoint-overrides.quotes.max-concurrent=3");

  @Test
  void racingSuccessesFailuresRejectionsAndCancelsGiveEverySlotBack() {
    runner.run(
        context -> {
          QuoteFeed feed = context.getBean(QuoteFeed.class);
          Guard quotes = context.getBean(ResilienceRegistry.class).guards().get("quotes");
          AtomicInteger mostInFlight = new AtomicInteger();
          feed.answerQuotesWith(
              symbol -> {
                mostInFlight.accumulateAndGet(quotes.bulkhead().inFlight(), Math::max);
                return switch (symbol) {
                  case "ok" -> Mono.just("quote").delayElement(Duration.ofMillis(1));
                  case "io" -> Mono.error(new IOException("reset"));
                  case "bad" -> Mono.error(new IllegalArgumentException("bad symbol"));
                  default -> Mono.never(); // cancelled below
                };
              });
          String[] symbols = {"ok", "io", "bad", "hang"};
          int threads = 8;
          int callsPerThread = 300;
          CountDownLatch start = new CountDownLatch(1);
          List<Thread> workers = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Thread worker =
                new Thread(
                    () -> {
                      try {
                        start.await();
                      } catch (InterruptedException e) {
                        return;
                      }
                      for (int i = 0; i < callsPerThread; i++) {
                        String symbol =
                            symbols[ThreadLocalRandom.current().nextInt(symbols.length)];
                        Disposable call =
                            feed.quote(symbol)
                                .subscribeOn(Schedulers.parallel())
                                .subscribe(value -> {}, error -> {});
                        if (symbol.equals("hang") || ThreadLocalRandom.current().nextInt(4) == 0) {
                          call.dispose();
                        }
                      }
                    });
            workers.add(worker);
            worker.start();
          }
          start.countDown();
          for (Thread worker : workers) {
            worker.join(30_000);
          }
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (quotes.bulkhead().inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }

          assertThat(quotes.bulkhead().inFlight()).as("every slot came back").isZero();
          assertThat(mostInFlight.get()).isBetween(1, 3);
          assertThat(feed.calls()).as("some calls ran").isPositive();
        });
  }

  @Test
  void aBulkheadWaitThatAsynchronousCallsCannotTakeIsWarnedAbout(CapturedOutput output) {
    runner
        .withPropertyValues("resilience.bulkhead.endpoint-overrides.quotes.max-wait=100ms")
        .run(
            context ->
                assertThat(output)
                    .containsOnlyOnce(
                        "Endpoint 'quotes' has a bulkhead max-wait of 100 ms, but its asynchronous"
                            + " calls (QuoteFeed.quote(String), returning a CompletionStage, Mono or Flux)"
                            + " never wait for a slot, since waiting would block a thread: they are rejected"
                            + " at once when the bulkhead is full. Set"
                            + " resilience.bulkhead.endpoint-overrides.quotes.max-wait=0s to say so, or retry"
                            + " on BulkheadFullException."));
  }
}
