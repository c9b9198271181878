package dev.resilience.spring.aspect;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Resolves every bean's {@code @Guarded} methods as the bean is initialised, so that each
 * endpoint's guard, breaker and bucket exist from start-up and a declaration that cannot work stops
 * start-up.
 */
public final class GuardedBeanPostProcessor
    implements BeanPostProcessor, SmartInitializingSingleton {

  private final ObjectProvider<GuardedMethodResolver> methods;

  /**
   * Creates the post-processor.
   *
   * @param methods resolved lazily: a post-processor is created before most beans
   */
  public GuardedBeanPostProcessor(ObjectProvider<GuardedMethodResolver> methods) {
    this.methods = methods;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (GuardedMethodResolver.declaresGuarded(type)) {
      methods.getObject().register(type);
    }
    return bean;
  }

  /** Checks what needs every start-up bean's declarations: the timeouts of endpoints. */
  @Override
  public void afterSingletonsInstantiated() {
    GuardedMethodResolver resolver = methods.getIfAvailable();
    if (resolver != null) {
      resolver.checkTimeouts();
    }
  }
}
