package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilienceRegistryTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void returnsTheSameInstanceForTheSameName() {
    ResilienceRegistry registry = ResilienceRegistry.builder().ticker(ticker).build();

    assertThat(registry.circuitBreaker("exchange")).isSameAs(registry.circuitBreaker("exchange"));
    assertThat(registry.rateLimiter("place_order")).isSameAs(registry.rateLimiter("place_order"));
    assertThat(registry.findCircuitBreaker("exchange"))
        .isSameAs(registry.circuitBreaker("exchange"));
    assertThat(registry.findRateLimiter("place_order"))
        .isSameAs(registry.rateLimiter("place_order"));
    assertThat(registry.findCircuitBreaker("other")).as("finding creates nothing").isNull();
    assertThat(registry.findRateLimiter("other")).isNull();
    assertThat(registry.circuitBreakers()).containsOnlyKeys("exchange");
  }

  @Test
  void overridesWinOverDefaultsByName() {
    RateLimiterConfig placeOrder = new RateLimiterConfig(5, 10, Duration.ofSeconds(1));
    CircuitBreakerConfig exchange = CircuitBreakerConfig.builder().failThreshold(3).build();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterOverride("place_order", placeOrder)
            .circuitBreakerOverride("exchange", exchange)
            .build();

    assertThat(registry.rateLimiter("place_order").config()).isEqualTo(placeOrder);
    assertThat(registry.rateLimiter("cancel_order").config())
        .isEqualTo(RateLimiterConfig.defaults());
    assertThat(registry.circuitBreaker("exchange").config()).isEqualTo(exchange);
    assertThat(registry.circuitBreaker("payments").config())
        .isEqualTo(CircuitBreakerConfig.defaults());
  }

  @Test
  void everyComponentReadsTheRegistryTicker() {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterDefaults(new RateLimiterConfig(1, 1, Duration.ZERO))
            .build();
    RateLimiter limiter = registry.rateLimiter("quote");
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();

    ticker.advance(Duration.ofSeconds(1));

    assertThat(limiter.tryAcquire()).isTrue();
  }

  @Test
  void listsWhatItHoldsInNameOrder() {
    ResilienceRegistry registry = ResilienceRegistry.builder().ticker(ticker).build();
    registry.circuitBreaker("payments");
    registry.circuitBreaker("exchange");
    registry.rateLimiter("quote");
    registry.rateLimiter("cancel_all");

    assertThat(registry.circuitBreakers()).containsOnlyKeys("exchange", "payments");
    assertThat(registry.circuitBreakers().firstKey()).isEqualTo("exchange");
    assertThat(registry.rateLimiters().keySet()).containsExactly("cancel_all", "quote");
  }

  @Test
  void registryListenersHearEveryBreakerItCreates() {
    List<String> heard = new ArrayList<>();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .transitionListener((breaker, from, to) -> heard.add(breaker.name() + ":" + to))
            .build();

    registry.circuitBreaker("a").forceOpen();
    registry.circuitBreaker("b").forceOpen();

    assertThat(heard).containsExactly("a:OPEN", "b:OPEN");
  }

  @Test
  void aCustomFactoryMakesTheBuckets() {
    List<String> made = new ArrayList<>();
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .ticker(ticker)
            .rateLimiterFactory(
                (endpoint, config, clock) -> {
                  made.add(endpoint);
                  return RateLimiter.tokenBucket(endpoint, config, clock);
                })
            .build();

    registry.rateLimiter("quote");
    registry.rateLimiter("quote");

    assertThat(made).containsExactly("quote");
  }

  @Test
  void rejectsBadNamesWithTheRule() {
    ResilienceRegistry registry = ResilienceRegistry.builder().build();

    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> registry.rateLimiter("place order"))
        .withMessage(
            "endpoint must be 1 to 64 of the characters [A-Za-z0-9_.-], but was \"place order\"");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(
            () ->
                ResilienceRegistry.builder()
                    .circuitBreakerOverride("ex/change", CircuitBreakerConfig.defaults()))
        .withMessageStartingWith("breaker must be");
  }

  @Test
  void anObserverAddedWhileOtherThreadsBindSeesEveryGuardExactlyOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 200; round++) {
        ResilienceRegistry registry = ResilienceRegistry.builder().ticker(ticker).build();
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          int offset = t;
          work.add(
              threads.submit(
                  () -> {
                    go.await();
                    for (int i = 0; i < 60; i++) {
                      registry.guard("endpoint_" + (i + offset * 20) % 60, "exchange", false);
                    }
                    return null;
                  }));
        }
        work.add(
            threads.submit(
                () -> {
                  go.await();
                  registry.observeGuards(
                      guard ->
                          seen.computeIfAbsent(guard.endpoint(), e -> new AtomicInteger())
                              .incrementAndGet());
                  return null;
                }));
        go.countDown();
        for (Future<?> done : work) {
          done.get(10, TimeUnit.SECONDS);
        }

        assertThat(seen).as("round %d", round).hasSize(60);
        assertThat(seen.values())
            .as("round %d", round)
            .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
