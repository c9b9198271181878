package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.Ticker;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.server.PathContainer;

/**
 * Eight threads send requests of one client through an inbound rule while another thread flips the
 * rule's limits between two settings and a hand-driven clock moves on: over the whole run the rule
 * never admits more than the larger quota plus the larger rate times the time that passed, and
 * every answer's headers describe one of the two settings whole, never a mix.
 */
@Timeout(60)
class InboundLimitChangeConcurrencyTest {

  private static final int SENDERS = 8;
  private static final int STEPS = 20_000;
  private static final long STEP_NANOS = 10_000; // 10 µs a step: 0.2 s in all

  /** Fast with a small quota (2000/s), slow with a large one (100/s): neither bounds a mix. */
  private static final Limits FAST = Limits.of(Limit.of(5, Duration.ofNanos(2_500_000)));

  private static final Limits SLOW = Limits.of(Limit.of(60, Duration.ofMillis(600)));

  private static final String FAST_POLICY = "\"orders\";q=5;w=1";
  private static final String SLOW_POLICY = "\"orders\";q=60;w=1";

  @Test
  void whenARulesLimitsFlipUnderEightThreadsThenAdmissionsStayWithinTheLargerBounds() {
    TestTicker ticker = new TestTicker();
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ResilienceAutoConfiguration.class, InboundAutoConfiguration.class))
        .withBean(Ticker.class, () -> ticker)
        .withPropertyValues(
            "resilience.inbound.rules.orders.paths=/orders/**",
            "resilience.inbound.rules.orders.key=header:X-Api-Key",
            "resilience.inbound.rules.orders.limits[0].quota=5",
            "resilience.inbound.rules.orders.limits[0].window=2500us")
        .run(
            context -> {
              InboundLimiter limiter = context.getBean(InboundLimiter.class);
              assertThat(limiter.configured("orders")).isEqualTo(FAST);
              AtomicLong mixed = new AtomicLong();

              long admitted = run(ticker, limiter, mixed);

              double elapsedSeconds = STEPS * STEP_NANOS / 1e9;
              long bound = (long) (60 + 2000 * elapsedSeconds);
              assertThat(admitted).isLessThanOrEqualTo(bound);
              assertThat(admitted)
                  .as("admitted under both settings, so the bound was approached")
                  .isGreaterThan((long) (100 * elapsedSeconds));
              assertThat(mixed.get()).as("answers whose headers mixed the settings").isZero();
            });
  }

  private static long run(TestTicker ticker, InboundLimiter limiter, AtomicLong mixed)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS + 1);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong attempts = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Long>> senders = new ArrayList<>();
      for (int t = 0; t < SENDERS; t++) {
        senders.add(
            pool.submit(
                () -> {
                  start.await();
                  long admitted = 0;
                  Request request = new Request();
                  while (!done.get()) {
                    request.policy = null;
                    Decision decision = limiter.decide(request);
                    String policy =
                        decision == Decision.PROCEED ? request.policy : decision.policyHeader();
                    if (!FAST_POLICY.equals(policy) && !SLOW_POLICY.equals(policy)) {
                      mixed.incrementAndGet();
                    }
                    if (decision == Decision.PROCEED) {
                      admitted++;
                    }
                    attempts.incrementAndGet();
                  }
                  return admitted;
                }));
      }
      Future<?> flipper =
          pool.submit(
              () -> {
                start.await();
                boolean fast = false;
                while (!done.get()) {
                  limiter.change("orders", fast ? FAST : SLOW);
                  fast = !fast;
                  Thread.yield();
                }
                return null;
              });
      start.countDown();
      long seen = 0;
      for (int step = 0; step < STEPS; step++) {
        ticker.advance(Duration.ofNanos(STEP_NANOS));
        if (step % 16 == 15) {
          // the clock moves on only once a sender has tried within the last 16 steps: on a busy
          // two-core host it could otherwise run ahead of senders the scheduler left waiting
          while (attempts.get() == seen) {
            Thread.yield();
          }
          seen = attempts.get();
        }
      }
      done.set(true);
      flipper.get(30, TimeUnit.SECONDS);
      long admitted = 0;
      for (Future<Long> sender : senders) {
        admitted += sender.get(30, TimeUnit.SECONDS);
      }
      return admitted;
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }

  /** A POST to /orders/1 by one client; remembers the policy header an admission carried. */
  private static final class Request implements InboundRequest {

    @Nullable String policy;

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public String rawPath() {
      return "/orders/1";
    }

    @Override
    public PathContainer path() {
      return PathContainer.parsePath(rawPath());
    }

    @Override
    public @Nullable String peer() {
      return "127.0.0.1";
    }

    @Override
    public @Nullable String header(String name) {
      return name.equalsIgnoreCase("X-Api-Key") ? "alice" : null;
    }

    @Override
    public @Nullable String joinedHeader(String name) {
      return header(name);
    }

    @Override
    public @Nullable String principal() {
      return null;
    }

    @Override
    public void rateLimitHeaders(String policy, String rateLimit) {
      this.policy = policy;
    }

    @Override
    public Slots slots() {
      throw new UnsupportedOperationException("no rule here has an adaptive limit");
    }
  }
}
