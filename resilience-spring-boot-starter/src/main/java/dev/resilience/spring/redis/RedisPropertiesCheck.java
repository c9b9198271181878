package dev.resilience.spring.redis;

import dev.resilience.spring.autoconfigure.ResilienceProperties;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Backend;
import dev.resilience.spring.autoconfigure.ResiliencePropertiesCheck;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Checks {@code resilience.rate-limiter.backend} and {@code resilience.rate-limiter.redis.*} for
 * the strict check's report: the Redis settings' ranges, Redis settings that a local backend would
 * ignore, and a Redis backend without Spring Data Redis and Lettuce to reach Redis with. Listed in
 * {@code META-INF/spring.factories}.
 */
final class RedisPropertiesCheck implements ResiliencePropertiesCheck {

  static final String BACKEND = "resilience.rate-limiter.backend";
  static final String REDIS = "resilience.rate-limiter.redis";
  static final String CONNECTION_FACTORY =
      "org.springframework.data.redis.connection.RedisConnectionFactory";
  static final String LETTUCE_FACTORY =
      "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";
  private static final String LETTUCE = "io.lettuce.core.RedisClient";
  private static final String STARTER = "org.springframework.boot:spring-boot-starter-data-redis";

  @Override
  public void check(ResilienceProperties properties, ListableBeanFactory beans, Report report) {
    ResilienceProperties.RateLimiter limiter = properties.getRateLimiter();
    ResilienceProperties.Redis redis = limiter.getRedis();
    if (redis.getTimeout().isNegative() || redis.getTimeout().isZero()) {
      report.invalidValue(REDIS + ".timeout", redis.getTimeout().toString(), "a positive duration");
    }
    if (redis.getLease() < 0) {
      report.invalidValue(REDIS + ".lease", Integer.toString(redis.getLease()), "0 or more");
    }
    if (limiter.getBackend() != Backend.REDIS) {
      unused(redis, report);
      return;
    }
    ClassLoader loader =
        beans instanceof ConfigurableBeanFactory configurable
                && configurable.getBeanClassLoader() != null
            ? configurable.getBeanClassLoader()
            : getClass().getClassLoader();
    if (!ClassUtils.isPresent(LETTUCE_FACTORY, loader) || !ClassUtils.isPresent(LETTUCE, loader)) {
      report.add(
          BACKEND,
          "redis",
          "the Redis backend needs Spring Data Redis with Lettuce, and they are not on the class"
              + " path",
          "add the dependency " + STARTER + ", or set " + BACKEND + " to local");
      return;
    }
    String[] factories = factories(beans, CONNECTION_FACTORY, loader);
    if (factories.length == 0) {
      report.add(
          BACKEND,
          "redis",
          "the Redis backend needs a RedisConnectionFactory bean, and the application has none",
          "add the dependency " + STARTER + " and let it configure spring.data.redis.*");
    } else if (factories(beans, LETTUCE_FACTORY, loader).length == 0) {
      report.add(
          BACKEND,
          "redis",
          "the Redis backend reaches Redis through Lettuce, and the application's"
              + " RedisConnectionFactory is another client's (Jedis has no calls that end by a"
              + " deadline)",
          "use Lettuce, the default client of " + STARTER);
    }
  }

  private static String[] factories(ListableBeanFactory beans, String type, ClassLoader loader) {
    return BeanFactoryUtils.beanNamesForTypeIncludingAncestors(
        beans, ClassUtils.resolveClassName(type, loader), true, false);
  }

  /** Redis settings with a local backend would be ignored: each is reported. */
  private static void unused(ResilienceProperties.Redis redis, Report report) {
    ResilienceProperties.Redis defaults = new ResilienceProperties.Redis();
    String why = "it is a setting of the Redis backend, and " + BACKEND + " is local";
    String fix = "set " + BACKEND + " to redis, or remove it";
    if (!redis.getTimeout().equals(defaults.getTimeout())) {
      report.add(REDIS + ".timeout", redis.getTimeout().toString(), why, fix);
    }
    if (redis.getOnFailure() != defaults.getOnFailure()) {
      report.add(REDIS + ".on-failure", redis.getOnFailure().toString(), why, fix);
    }
    if (redis.getLease() != defaults.getLease()) {
      report.add(REDIS + ".lease", Integer.toString(redis.getLease()), why, fix);
    }
  }
}
