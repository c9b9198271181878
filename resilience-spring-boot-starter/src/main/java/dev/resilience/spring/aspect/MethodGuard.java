package dev.resilience.spring.aspect;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** What the interceptor needs about one {@code @Guarded} method, resolved and checked once. */
final class MethodGuard {

  private final Guard guard;
  private final FailureClassifier classifier;
  private final boolean async;
  private final @Nullable Method fallback;
  private final @Nullable Class<?> fallbackErrorType;

  MethodGuard(
      Guard guard,
      FailureClassifier classifier,
      boolean async,
      @Nullable Method fallback,
      @Nullable Class<?> fallbackErrorType) {
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

  /** Whether the method returns a {@code CompletionStage} or {@code CompletableFuture}. */
  boolean async() {
    return async;
  }

  boolean hasFallback() {
    return fallback != null;
  }

  /** Returns whether there is a fallback that accepts {@code error}. */
  boolean hasFallbackFor(Throwable error) {
    return fallback != null && (fallbackErrorType == null || fallbackErrorType.isInstance(error));
  }

  /** Calls the fallback in place of the failed or rejected call; its own exceptions propagate. */
  @Nullable Object fallback(@Nullable Object target, @Nullable Object[] args, Throwable error)
      throws Throwable {
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
