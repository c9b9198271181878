package dev.resilience.benchmarks.spring;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/**
 * An around advice that does nothing but proceed: the floor of every annotation-driven guard (ours
 * and Resilience4j's alike), i.e. what the proxy, the invocation and the join point cost.
 */
@Aspect
public class PassThroughAspect {

  /** Proceeds with the call, unchanged. */
  @Around("@annotation(dev.resilience.benchmarks.spring.PassThrough)")
  public Object proceed(ProceedingJoinPoint call) throws Throwable {
    return call.proceed();
  }
}
