package dev.resilience.spring.aspect;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Scans every bean for {@code @Guarded} methods as it is initialised, so that each endpoint's guard,
 * breaker and bucket exist from start-up and a bad declaration stops start-up.
 */
public final class GuardedBeanRegistrar implements BeanPostProcessor {

  private final ObjectProvider<GuardedMethods> methods;

  /**
   * Creates the registrar.
   *
   * @param methods resolved lazily: a post-processor is created before most beans
   */
  public GuardedBeanRegistrar(ObjectProvider<GuardedMethods> methods) {
    this.methods = methods;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (GuardedMethods.declaresGuarded(type)) {
      methods.getObject().register(type);
    }
    return bean;
  }
}
