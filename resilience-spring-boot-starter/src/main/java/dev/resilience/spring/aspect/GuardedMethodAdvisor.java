package dev.resilience.spring.aspect;

import dev.resilience.spring.Guarded;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The Spring AOP advisor that applies {@code @Guarded}, as Spring's own advisors apply
 * {@code @Transactional} and {@code @Cacheable}: it matches exactly the methods start-up discovery
 * binds (the same lookup, so an annotation on an interface method counts), whichever proxies the
 * application uses, JDK or class-based.
 *
 * <p>Any auto-proxy creator picks it up; as an infrastructure bean it needs no AspectJ. The
 * interceptor is created on first use, so that creating the advisor early (auto-proxy creators do)
 * pulls no registry or properties into existence before every post-processor is ready.
 */
public final class GuardedMethodAdvisor implements PointcutAdvisor {

  private final Pointcut pointcut = new GuardedPointcut();
  private final SingletonSupplier<MethodInterceptor> interceptor;

  /**
   * Creates the advisor.
   *
   * @param interceptor creates the interceptor, once, when a proxy first needs it
   */
  public GuardedMethodAdvisor(Supplier<? extends MethodInterceptor> interceptor) {
    this.interceptor = SingletonSupplier.of(interceptor::get);
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor.obtain();
  }

  /** Matches the methods {@code GuardedMethodResolver.declaration(Method)} says are guarded. */
  private static final class GuardedPointcut extends StaticMethodMatcherPointcut {

    GuardedPointcut() {
      setClassFilter(type -> AnnotationUtils.isCandidateClass(type, Guarded.class));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      return GuardedMethodResolver.declaration(
              GuardedMethodResolver.mostSpecific(method, targetClass))
          != null;
    }
  }
}
