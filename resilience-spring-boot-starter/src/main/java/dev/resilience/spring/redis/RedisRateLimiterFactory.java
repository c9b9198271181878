package dev.resilience.spring.redis;

import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limits;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry.RateLimiterFactory;
import dev.resilience.core.Ticker;
import java.util.Objects;
import java.util.function.Function;

/** Makes every bucket of the registry a bucket in Redis: per endpoint, per key, per rule. */
public final class RedisRateLimiterFactory implements RateLimiterFactory {

  private final RedisRateLimitBackend backend;

  public RedisRateLimiterFactory(RedisRateLimitBackend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  @Override
  public RateLimiter create(String endpoint, RateLimiterConfig config, Ticker ticker) {
    return new RedisRateLimiter(endpoint, config, backend, ticker);
  }

  @Override
  public KeyedRateLimiter createKeyed(
      String name,
      Function<String, Limits> limitsOfKey,
      boolean sameForEveryKey,
      int maxKeys,
      Ticker ticker) {
    return new RedisKeyedRateLimiter(
        name,
        limitsOfKey,
        backend,
        RateLimiterFactory.super.createKeyed(name, limitsOfKey, sameForEveryKey, maxKeys, ticker));
  }
}
