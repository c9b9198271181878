package dev.resilience.spring.aspect;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** What the aspect needs about one {@code @Guarded} method, resolved and checked once. */
final class GuardedMethod {

  private final Guard guard;
  private final FailureClassifier classifier;
  private final boolean async;
  private final @Nullable Method fallback;
  private final @Nullable Class<?> fallbackErrorType;

  GuardedMethod(
      Guard guard, FailureClassifier classifier, boolean async, @Nullable Method fallback, @Nullable Class<?> fallbackErrorType) {
    this.guard = guard;
    this.classifier = classifier;
    this.async = async;
    this.fallback = fallback;
    this.fallbackErrorType = fallbackErrorType;
  }

  Guard guard() {
    return guard;
  }

  FailureClassifier classifier() {
    return classifier;
  }

  boolean async() {
    return async;
  }

  static boolean isAsync(Class<?> returnType) {
    return returnType == CompletionStage.class || returnType == CompletableFuture.class;
  }

  boolean hasFallback() {
    return fallback != null;
  }

  /** Returns whether there is a fallback that accepts {@code error}. */
  boolean hasFallbackFor(Throwable error) {
    return fallback != null && (fallbackErrorType == null || fallbackErrorType.isInstance(error));
  }

  /** Calls the fallback in place of the failed or rejected call; its own exceptions propagate. */
  @Nullable Object fallback(Object target, Object[] args, Throwable error) throws Throwable {
    Method method = fallback;
    if (method == null) {
      throw new IllegalStateException("no fallback");
    }
    Object[] fallbackArgs = args;
    if (fallbackErrorType != null) {
      fallbackArgs = Arrays.copyOf(args, args.length + 1);
      fallbackArgs[args.length] = error;
    }
    try {
      return method.invoke(target, fallbackArgs);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
