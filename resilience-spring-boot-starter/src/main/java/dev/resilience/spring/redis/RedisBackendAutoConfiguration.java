package dev.resilience.spring.redis;

import dev.resilience.core.ResilienceRegistry.RateLimiterFactory;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.events.ResilienceEvent.Kind;
import dev.resilience.spring.events.ResilienceEvents;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The buckets in Redis ({@code resilience.rate-limiter.backend: redis}), through the application's
 * Lettuce connection factory. A Redis backend without Spring Data Redis, or with another client,
 * stops start-up in the strict properties check, which names the dependency to add.
 *
 * <p>The switches away from Redis and back are recorded in the {@link ResilienceEvents} log as
 * {@code backend} events: from {@code redis} to {@code on-failure=<policy>} with Redis's error as
 * the detail, and back.
 */
@AutoConfiguration(
    before = ResilienceAutoConfiguration.class,
    afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({LettuceConnectionFactory.class, io.lettuce.core.RedisClient.class})
@ConditionalOnProperty(name = "resilience.rate-limiter.backend", havingValue = "redis")
public final class RedisBackendAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  RedisRateLimitBackend resilienceRedisBackend(
      ResilienceProperties properties,
      LettuceConnectionFactory connections,
      Ticker ticker,
      ObjectProvider<ResilienceEvents> events) {
    ResilienceProperties.Redis redis = properties.getRateLimiter().getRedis();
    RedisRateLimitBackend backend =
        new RedisRateLimitBackend(
            connections, redis.getTimeout(), redis.getOnFailure(), redis.getLease(), ticker);
    events.ifAvailable(log -> recordSwitches(backend, log));
    return backend;
  }

  private static void recordSwitches(RedisRateLimitBackend backend, ResilienceEvents log) {
    String redis = backend.name();
    String onFailure = "on-failure=" + backend.failurePolicy();
    backend.onSwitch(
        (toRedis, why) -> {
          if (toRedis) {
            log.record(Kind.BACKEND, redis, onFailure, redis, null);
          } else {
            log.record(Kind.BACKEND, redis, redis, onFailure, why);
          }
        });
  }

  @Bean
  @ConditionalOnMissingBean
  RateLimiterFactory resilienceRedisRateLimiterFactory(RedisRateLimitBackend backend) {
    return new RedisRateLimiterFactory(backend);
  }
}
