package dev.resilience.spring.aspect;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers an auto-proxy creator unless the context has one, as
 * {@code @EnableTransactionManagement} does, so that {@code @Guarded} works even with {@code
 * spring.aop.auto=false}: a declaration that start-up lists must be guarded. Boot's own, when
 * present, takes precedence. Follows {@code spring.aop.proxy-target-class} (default true) as Boot's
 * transaction auto-configuration does.
 */
final class GuardedProxyRegistrar implements ImportBeanDefinitionRegistrar {

  private final Environment environment;

  GuardedProxyRegistrar(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
    if (environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true)) {
      AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
  }
}
