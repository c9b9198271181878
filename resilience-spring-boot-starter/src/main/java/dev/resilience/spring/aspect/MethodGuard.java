package dev.resilience.spring.aspect;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import dev.resilience.core.Retry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** What the interceptor needs about one {@code @Guarded} method, resolved and checked once. */
final class MethodGuard {

  /** The call shapes the interceptor guards. */
  enum Shape {
    /** A plain value or void: the outcome is known when the method returns or throws. */
    PLAIN,
    /** A {@code CompletionStage} or {@code CompletableFuture}: known when the stage completes. */
    STAGE,
    /** A Reactor {@code Mono}: admitted on subscription, known on its value or terminal signal. */
    MONO,
    /** A Reactor {@code Flux}: admitted on subscription, known on its terminal signal. */
    FLUX
  }

  private final Guard guard;
  private final FailureClassifier classifier;
  private final Shape shape;
  private final @Nullable Method fallback;
  private final @Nullable Class<?> fallbackErrorType;
  private final @Nullable KeyExpression key;
  private final @Nullable Duration timeout;
  private final @Nullable Retry retry;
  private final MethodGuard attempt;

  MethodGuard(
      Guard guard,
      FailureClassifier classifier,
      Shape shape,
      @Nullable Method fallback,
      @Nullable Class<?> fallbackErrorType,
      @Nullable KeyExpression key,
      @Nullable Duration timeout,
      @Nullable Retry retry) {
    this.guard = guard;
    this.retry = retry;
    this.timeout = timeout;
    this.key = key;
    this.classifier = classifier;
    this.shape = shape;
    this.fallback = fallback;
    this.fallbackErrorType = fallbackErrorType;
    this.attempt =
        retry == null || fallback == null
            ? this
            : new MethodGuard(guard, classifier, shape, null, null, key, timeout, retry);
  }

  /**
   * The guard of one attempt of a retried call: the same, without the fallback, which replaces only
   * what ends the attempts.
   */
  MethodGuard attempt() {
    return attempt;
  }

  Guard guard() {
    return guard;
  }

  FailureClassifier classifier() {
    return classifier;
  }

  /**
   * Returns the call's key, or null when the endpoint has one bucket for all calls.
   *
   * @throws IllegalArgumentException if the key expression fails on these arguments
   */
  @Nullable String key(@Nullable Object target, @Nullable Object[] args) {
    return key == null ? null : key.evaluate(target, args);
  }

  /** Whether the method returns a {@code CompletionStage} or {@code CompletableFuture}. */
  boolean async() {
    return shape == Shape.STAGE;
  }

  /** How the method returns its result, which decides when its outcome is known. */
  Shape shape() {
    return shape;
  }

  /** Returns the call's retries, or null when it is tried once. */
  @Nullable Retry retry() {
    return retry;
  }

  /** Returns the call's timeout (CompletionStage and Reactor calls only), or null for none. */
  @Nullable Duration timeout() {
    return timeout;
  }

  /** The error a call that outlived its timeout fails with: counted as {@code timeout}. */
  TimeoutException timedOut() {
    return new TimeoutException(
        "Call to '"
            + guard.endpoint()
            + "' did not end within its timeout of "
            + timeout.toMillis()
            + " ms (resilience.timeout)");
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
