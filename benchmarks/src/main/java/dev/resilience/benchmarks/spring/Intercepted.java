package dev.resilience.benchmarks.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method for {@link QuoteApplication#passThroughInterceptor()}: a {@code MethodInterceptor}
 * behind an advisor that only proceeds, woven the way {@code @Guarded} is.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Intercepted {}
