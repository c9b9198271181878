package dev.resilience.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Redis.OnFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code backend: redis} makes every bucket of the registry a bucket in Redis, through the
 * application's own {@code spring.data.redis.*} connection; {@code local} makes none.
 */
class RedisBackendAutoConfigurationTest {

  private static RealRedis redis;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class,
                  RedisBackendAutoConfiguration.class,
                  ResilienceAutoConfiguration.class));

  @BeforeAll
  static void startRedis() {
    redis = RealRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private ApplicationContextRunner onRedis(String... more) {
    return runner
        .withPropertyValues(
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + redis.port(),
            "resilience.rate-limiter.backend=redis")
        .withPropertyValues(more);
  }

  @Test
  void withTheRedisBackendEveryBucketLivesInRedis() {
    onRedis(
            "resilience.rate-limiter.redis.timeout=50ms",
            "resilience.rate-limiter.redis.on-failure=deny",
            "resilience.rate-limiter.redis.lease=4")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RedisRateLimitBackend backend = context.getBean(RedisRateLimitBackend.class);
              assertThat(backend.timeout()).isEqualTo(Duration.ofMillis(50));
              assertThat(backend.onFailure()).isEqualTo(OnFailure.DENY);
              assertThat(backend.lease()).isEqualTo(4);
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.rateLimiter("place_order")).isInstanceOf(RedisRateLimiter.class);
              assertThat(
                      registry.keyedRateLimiter(
                          "orders", Limits.of(Limit.of(5, Duration.ofSeconds(1)))))
                  .isInstanceOf(RedisKeyedRateLimiter.class);
            });
  }

  @Test
  void theLocalBackendMakesNoRedisBeansEvenWithRedisOnTheClassPath() {
    runner
        .withPropertyValues("spring.data.redis.port=" + redis.port())
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RedisRateLimitBackend.class);
              assertThat(context.getBean(ResilienceRegistry.class).rateLimiter("place_order"))
                  .isNotInstanceOf(RedisRateLimiter.class);
            });
  }
}
