package dev.resilience.spring.autoconfigure;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Checks {@link ResilienceProperties} as soon as they are bound, before any bean reads them, and
 * stops start-up with every problem at once: unknown keys, values out of range, unknown exception
 * classes, weights for codes no breaker counts. A resilience setting that is silently ignored is an
 * outage waiting, so nothing under {@code resilience} may be ignored.
 *
 * <p>A post-processor rather than a check in the registry's factory method, so that an application
 * that defines its own registry still gets its properties checked.
 */
final class StrictResiliencePropertiesPostProcessor implements BeanPostProcessor, EnvironmentAware, BeanClassLoaderAware {

  private @Nullable Environment environment;
  private @Nullable ClassLoader classLoader;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof ResilienceProperties properties) {
      Environment env = Objects.requireNonNull(environment, "environment");
      Problems problems = new Problems(env);
      ResilienceKeys.checkNoUnknownKeys(env, problems);
      ResilienceConfigs.check(
          properties, classLoader != null ? classLoader : Objects.requireNonNull(ClassUtils.getDefaultClassLoader()), problems);
      problems.throwIfAny();
    }
    return bean;
  }
}
