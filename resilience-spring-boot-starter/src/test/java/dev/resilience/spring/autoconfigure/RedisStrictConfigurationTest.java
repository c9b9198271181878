package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.redis.RedisBackendAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A Redis backend that cannot work, and Redis settings a local backend would ignore, stop start-up
 * in the strict check's report, naming what to change. (No Redis server is reached: start-up stops
 * before any bucket is made.)
 */
class RedisStrictConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class,
                  RedisBackendAutoConfiguration.class,
                  ResilienceAutoConfiguration.class));

  private ApplicationContextRunner onRedis(String... more) {
    return runner
        .withPropertyValues("resilience.rate-limiter.backend=redis")
        .withPropertyValues(more);
  }

  @Test
  void theRedisBackendWithoutSpringDataRedisFailsStartUpNamingTheDependency() {
    onRedis()
        .withClassLoader(
            new FilteredClassLoader("org.springframework.data.redis", "io.lettuce.core"))
        .run(
            context ->
                assertThat(analysis(context).getDescription())
                    .contains("Property: resilience.rate-limiter.backend")
                    .contains(
                        "Spring Data Redis with Lettuce, and they are not on the class path"));
    onRedis()
        .withClassLoader(
            new FilteredClassLoader("org.springframework.data.redis", "io.lettuce.core"))
        .run(
            context ->
                assertThat(analysis(context).getAction())
                    .contains(
                        "add the dependency"
                            + " org.springframework.boot:spring-boot-starter-data-redis"));
  }

  @Test
  void theRedisBackendWithoutAConnectionFactoryFailsStartUp() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                RedisBackendAutoConfiguration.class, ResilienceAutoConfiguration.class))
        .withPropertyValues("resilience.rate-limiter.backend=redis")
        .run(
            context ->
                assertThat(analysis(context).getDescription())
                    .contains("needs a RedisConnectionFactory bean, and the application has none"));
  }

  @Test
  void redisSettingsWithTheLocalBackendFailStartUpInsteadOfBeingIgnored() {
    runner
        .withPropertyValues(
            "resilience.rate-limiter.redis.lease=5", "resilience.rate-limiter.redis.timeout=5ms")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .contains("2 properties are wrong")
                  .contains("Property: resilience.rate-limiter.redis.lease")
                  .contains("Property: resilience.rate-limiter.redis.timeout")
                  .contains("resilience.rate-limiter.backend is local");
            });
  }

  @Test
  void badRedisSettingsFailStartUpWithWhatTheyMustBe() {
    onRedis("resilience.rate-limiter.redis.timeout=0ms", "resilience.rate-limiter.redis.lease=-1")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .contains("Reason: must be a positive duration")
                  .contains("Reason: must be 0 or more");
            });
    onRedis("resilience.rate-limiter.redis.on-failure=later")
        .run(context -> assertThat(context).hasFailed());
  }

  private static FailureAnalysis analysis(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis =
        new InvalidResiliencePropertiesFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
    return analysis;
  }
}
