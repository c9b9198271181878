package dev.resilience.spring.aspect;

import dev.resilience.core.CallRejectedException;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.GuardedCall;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;

/**
 * Applies {@code @Guarded}: the breaker, then the bucket, then the method; reports the outcome and
 * calls the fallback, if any, instead of failing.
 *
 * <p>A fallback replaces rejections and failures that count against the downstream. Exceptions that
 * do not count (validation, a 404, a business rule) reach the caller unchanged, as does every
 * exception when there is no fallback.
 */
@Aspect
public final class GuardedAspect {

  private final GuardedMethods methods;
  private final boolean enabled;

  /**
   * Creates the aspect.
   *
   * @param methods the resolved {@code @Guarded} methods
   * @param enabled false to pass every call straight through
   */
  public GuardedAspect(GuardedMethods methods, boolean enabled) {
    this.methods = methods;
    this.enabled = enabled;
  }

  /** Guards one call of a {@code @Guarded} method, or of a method of a {@code @Guarded} class. */
  @Around("@within(dev.resilience.spring.Guarded) || @annotation(dev.resilience.spring.Guarded)")
  public @Nullable Object guard(ProceedingJoinPoint call) throws Throwable {
    if (!enabled) {
      return call.proceed();
    }
    Method method = ((MethodSignature) call.getSignature()).getMethod();
    Object target = call.getTarget();
    GuardedMethod guarded = methods.find(method, target == null ? method.getDeclaringClass() : AopUtils.getTargetClass(target));
    if (guarded == null) {
      return call.proceed();
    }
    GuardedCall admitted;
    try {
      admitted = guarded.guard().admit();
    } catch (CallRejectedException rejected) {
      if (guarded.async() && !guarded.hasFallbackFor(rejected)) {
        return CompletableFuture.failedFuture(rejected);
      }
      return fallbackOrThrow(call, guarded, rejected);
    }
    Object result;
    try {
      result = call.proceed();
    } catch (Throwable error) {
      if (admitted.failed(error, guarded.classifier())) {
        return fallbackOrThrow(call, guarded, error);
      }
      throw error;
    }
    if (!guarded.async() || result == null) {
      admitted.succeeded();
      return result;
    }
    return whenComplete(call, guarded, admitted, (CompletionStage<?>) result);
  }

  /** Reports the stage's outcome when it completes, switching to the fallback on a counted failure. */
  private static CompletionStage<?> whenComplete(
      ProceedingJoinPoint call, GuardedMethod guarded, GuardedCall admitted, CompletionStage<?> stage) {
    if (!guarded.hasFallback()) {
      return stage.whenComplete((value, error) -> report(guarded, admitted, error));
    }
    CompletableFuture<@Nullable Object> outcome = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (!report(guarded, admitted, error)) {
            complete(outcome, value, error);
            return;
          }
          Throwable cause = FailureClassifier.unwrap(error);
          try {
            CompletionStage<?> replacement = (CompletionStage<?>) guarded.fallback(call.getTarget(), call.getArgs(), cause);
            if (replacement == null) {
              outcome.complete(null);
            } else {
              replacement.whenComplete((fallbackValue, fallbackError) -> complete(outcome, fallbackValue, fallbackError));
            }
          } catch (Throwable fallbackError) {
            outcome.completeExceptionally(fallbackError);
          }
        });
    return outcome;
  }

  /** Records the outcome of a completed stage; returns whether it was a counted failure. */
  private static boolean report(GuardedMethod guarded, GuardedCall admitted, @Nullable Throwable error) {
    if (error == null) {
      admitted.succeeded();
      return false;
    }
    return admitted.failed(error, guarded.classifier());
  }

  private static void complete(CompletableFuture<@Nullable Object> outcome, @Nullable Object value, @Nullable Throwable error) {
    if (error == null) {
      outcome.complete(value);
    } else {
      outcome.completeExceptionally(error);
    }
  }

  private static @Nullable Object fallbackOrThrow(ProceedingJoinPoint call, GuardedMethod guarded, Throwable error)
      throws Throwable {
    if (guarded.hasFallbackFor(error)) {
      return guarded.fallback(call.getTarget(), call.getArgs(), error);
    }
    throw error;
  }
}
