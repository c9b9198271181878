package dev.resilience.spring.aspect;

import dev.resilience.core.CallRejectedException;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.Reservation;
import dev.resilience.core.Retry;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Applies {@code @Guarded}: the breaker, then the bucket (the call's key's own, for a keyed
 * endpoint), then the method; reports the outcome and calls the fallback, if any, instead of
 * failing.
 *
 * <p>Methods returning {@code Mono} or {@code Flux} are guarded on each subscription (see {@code
 * ReactorCalls}), which only such methods load.
 *
 * <p>A fallback replaces rejections and failures that count against the downstream. Exceptions that
 * do not count (validation, a 404, a business rule) reach the caller unchanged, as does every
 * exception when there is no fallback.
 */
public final class GuardedInterceptor implements MethodInterceptor {

  private final GuardedMethodResolver methods;
  private final boolean enabled;

  /**
   * Creates the interceptor.
   *
   * @param methods resolves how each method is guarded
   * @param enabled false to pass every call straight through
   */
  public GuardedInterceptor(GuardedMethodResolver methods, boolean enabled) {
    this.methods = methods;
    this.enabled = enabled;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    if (!enabled) {
      return invocation.proceed();
    }
    Method method = invocation.getMethod();
    Object target = invocation.getThis();
    MethodGuard guarded =
        methods.find(
            method, target == null ? method.getDeclaringClass() : AopUtils.getTargetClass(target));
    if (guarded == null) {
      return invocation.proceed();
    }
    String key;
    try {
      key = guarded.key(target, invocation.getArguments());
    } catch (IllegalArgumentException keyFailed) {
      // a key expression that fails on these arguments is the caller's bug, not the downstream's:
      // no call and no fallback; a stage or a publisher fails rather than throws, as a rejection
      // does
      return switch (guarded.shape()) {
        case STAGE -> CompletableFuture.failedFuture(keyFailed);
        case MONO, FLUX -> ReactorCalls.failed(guarded, keyFailed);
        case PLAIN -> throw keyFailed;
      };
    }
    if (guarded.shape() == MethodGuard.Shape.MONO || guarded.shape() == MethodGuard.Shape.FLUX) {
      // admitted on each subscription, not now: a Mono or Flux does nothing until subscribed to
      return ReactorCalls.guard(invocation, guarded, key);
    }
    Retry retry = guarded.retry();
    if (retry != null) {
      return guarded.async()
          ? retriedStage(invocation, guarded, key, retry)
          : retried(invocation, guarded, key, retry);
    }
    if (guarded.async()) {
      return stage(invocation, guarded, key);
    }
    GuardedCall admitted;
    try {
      admitted = guarded.guard().admit(key);
    } catch (CallRejectedException rejected) {
      return fallbackOrThrow(invocation, guarded, rejected);
    }
    Object result;
    try {
      result = invocation.proceed();
    } catch (Throwable error) {
      return thrown(invocation, guarded, admitted, error);
    }
    report(guarded, admitted, null);
    return result;
  }

  /**
   * A call returning a {@code CompletionStage}: admitted at once when its token is there, else
   * after a delayed executor's wait, so that no thread is blocked waiting for a token (nor for a
   * bulkhead slot: a full bulkhead rejects it); its outcome is reported when its stage completes.
   */
  private static @Nullable Object stage(
      MethodInvocation invocation, MethodGuard guarded, @Nullable String key) throws Throwable {
    Reservation reservation;
    try {
      reservation = guarded.guard().reserve(key);
    } catch (CallRejectedException rejected) {
      return rejectedStage(invocation, guarded, rejected);
    }
    if (reservation.waitNanos() == 0) {
      return admittedStage(invocation, guarded, reservation, invocation);
    }
    CompletableFuture<@Nullable Object> later = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(reservation.waitNanos(), TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              if (later.isDone()) {
                reservation.cancel(); // the caller cancelled the stage while it waited
                return;
              }
              try {
                Object stage = admittedStage(invocation, guarded, reservation, copy(invocation));
                if (stage == null) {
                  later.complete(null);
                } else {
                  ((CompletionStage<?>) stage)
                      .whenComplete((value, error) -> complete(later, value, error));
                }
              } catch (Throwable error) {
                later.completeExceptionally(error);
              }
            });
    return later;
  }

  private static @Nullable Object rejectedStage(
      MethodInvocation invocation, MethodGuard guarded, CallRejectedException rejected)
      throws Throwable {
    if (!guarded.hasFallbackFor(rejected)) {
      return CompletableFuture.failedFuture(rejected);
    }
    return fallbackOrThrow(invocation, guarded, rejected);
  }

  /** Admits the reserved call, runs it through {@code call}, and reports its stage's outcome. */
  private static @Nullable Object admittedStage(
      MethodInvocation invocation,
      MethodGuard guarded,
      Reservation reservation,
      MethodInvocation call)
      throws Throwable {
    GuardedCall admitted;
    try {
      admitted = reservation.admit();
    } catch (CallRejectedException rejected) {
      return rejectedStage(invocation, guarded, rejected);
    }
    Object result;
    try {
      result = call.proceed();
    } catch (Throwable error) {
      return thrown(invocation, guarded, admitted, error);
    }
    if (result == null) {
      report(guarded, admitted, null);
      return null;
    }
    CompletionStage<?> stage = (CompletionStage<?>) result;
    return whenComplete(
        invocation, guarded, admitted, guarded.timeout() == null ? stage : bounded(stage, guarded));
  }

  /**
   * A synchronous call with retries: each attempt a guarded call of its own that runs the rest of
   * the proxy's chain and the method again; the fallback, if any, replaces what ends the attempts
   * when it counts against the downstream.
   */
  private static @Nullable Object retried(
      MethodInvocation invocation, MethodGuard guarded, @Nullable String key, Retry retry)
      throws Throwable {
    try {
      return retry.call(guarded.guard(), key, () -> proceedAgain(invocation), guarded.classifier());
    } catch (CallRejectedException rejected) {
      return fallbackOrThrow(invocation, guarded, rejected);
    } catch (Throwable error) {
      Throwable thrown =
          error instanceof UndeclaredThrowableException wrapped && wrapped.getCause() != null
              ? wrapped.getCause()
              : error;
      if (guarded.classifier().classify(thrown) != null) {
        return fallbackOrThrow(invocation, guarded, thrown);
      }
      throw thrown;
    }
  }

  /**
   * A CompletionStage call with retries: each attempt a guarded call that runs the rest of the
   * proxy's chain and the method again when the previous one's stage has failed; the wait between
   * attempts (for the backoff and for a token) is a delayed executor's, so no thread is blocked;
   * the fallback, if any, replaces what ends the attempts when it counts against the downstream.
   */
  private static CompletionStage<?> retriedStage(
      MethodInvocation invocation, MethodGuard guarded, @Nullable String key, Retry retry) {
    CompletableFuture<@Nullable Object> ended = new CompletableFuture<>();
    attempt(invocation, guarded, key, retry, 1, ended);
    if (!guarded.hasFallback()) {
      return ended;
    }
    CompletableFuture<@Nullable Object> outcome = new CompletableFuture<>();
    ended.whenComplete(
        (value, error) -> {
          Throwable cause = error == null ? null : FailureClassifier.unwrap(error);
          if (cause == null
              || !guarded.hasFallbackFor(cause)
              || (!(cause instanceof CallRejectedException)
                  && guarded.classifier().classify(cause) == null)) {
            complete(outcome, value, error);
            return;
          }
          completeWithFallback(outcome, invocation, guarded, cause);
        });
    return outcome;
  }

  /** Makes attempt {@code n}; completes {@code ended} with its result or what ends the attempts. */
  private static void attempt(
      MethodInvocation invocation,
      MethodGuard guarded,
      @Nullable String key,
      Retry retry,
      int n,
      CompletableFuture<@Nullable Object> ended) {
    Reservation reservation;
    try {
      reservation = guarded.guard().reserve(key);
    } catch (CallRejectedException rejected) {
      retry.nextWaitNanos(guarded.guard(), n, rejected, guarded.classifier());
      ended.completeExceptionally(rejected);
      return;
    }
    if (reservation.waitNanos() > 0) {
      // the token comes later: wait for it on a timer, not on this thread
      CompletableFuture.delayedExecutor(reservation.waitNanos(), TimeUnit.NANOSECONDS)
          .execute(() -> admitted(invocation, guarded, key, retry, n, ended, reservation));
    } else {
      admitted(invocation, guarded, key, retry, n, ended, reservation);
    }
  }

  private static void admitted(
      MethodInvocation invocation,
      MethodGuard guarded,
      @Nullable String key,
      Retry retry,
      int n,
      CompletableFuture<@Nullable Object> ended,
      Reservation reservation) {
    GuardedCall admitted;
    try {
      admitted = reservation.admit();
    } catch (CallRejectedException rejected) {
      ended.completeExceptionally(rejected);
      return;
    }
    CompletionStage<?> stage;
    try {
      Object result = proceedAgain(invocation);
      if (result == null) {
        throw new IllegalStateException(
            "Retried @Guarded method "
                + invocation.getMethod().getDeclaringClass().getSimpleName()
                + "."
                + invocation.getMethod().getName()
                + " returned null instead of a CompletionStage");
      }
      stage = (CompletionStage<?>) result;
    } catch (Throwable error) {
      stage = CompletableFuture.failedFuture(error);
    }
    if (guarded.timeout() != null) {
      stage = bounded(stage, guarded);
    }
    stage.whenComplete(
        (value, error) -> {
          report(guarded, admitted, error);
          if (error == null) {
            ended.complete(value);
            return;
          }
          long wait =
              retry.nextWaitNanos(
                  guarded.guard(), n, FailureClassifier.unwrap(error), guarded.classifier());
          if (wait == Retry.STOP) {
            ended.completeExceptionally(error);
            return;
          }
          CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS)
              .execute(() -> attempt(invocation, guarded, key, retry, n + 1, ended));
        });
  }

  /** A copy of the invocation that runs the rest of the chain once more. */
  private static MethodInvocation copy(MethodInvocation invocation) {
    if (!(invocation instanceof ProxyMethodInvocation proxied)) {
      throw new IllegalStateException(
          "A delayed or retried @Guarded call needs a Spring proxy's invocation, got "
              + invocation);
    }
    return proxied.invocableClone();
  }

  /** Runs the rest of the chain once more: a copy, since an invocation proceeds only once. */
  private static @Nullable Object proceedAgain(MethodInvocation invocation) throws Exception {
    MethodInvocation copy = copy(invocation);
    try {
      return copy.proceed();
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable other) {
      throw new UndeclaredThrowableException(other);
    }
  }

  /**
   * The stage, failed with a {@code TimeoutException} if it has not completed within the method's
   * timeout. The timer is cancelled as soon as the stage completes (orTimeout's own canceller); the
   * late stage's work is not interrupted, only no longer waited for.
   */
  private static CompletionStage<?> bounded(CompletionStage<?> stage, MethodGuard guarded) {
    CompletableFuture<@Nullable Object> bounded = new CompletableFuture<>();
    CompletableFuture<@Nullable Object> timer =
        new CompletableFuture<@Nullable Object>()
            .orTimeout(guarded.timeout().toNanos(), TimeUnit.NANOSECONDS);
    timer.whenComplete(
        (ignored, expired) -> {
          if (expired != null) {
            bounded.completeExceptionally(guarded.timedOut());
          }
        });
    stage.whenComplete(
        (value, error) -> {
          timer.complete(null);
          complete(bounded, value, error);
        });
    return bounded;
  }

  /**
   * Reports the admitted call's outcome, exactly once: the one place the interceptor tells the
   * guard how a call ended.
   *
   * @return whether {@code error} counted as a failure
   */
  private static boolean report(
      MethodGuard guarded, GuardedCall admitted, @Nullable Throwable error) {
    if (error == null) {
      admitted.succeeded();
      return false;
    }
    return admitted.failed(error, guarded.classifier());
  }

  /**
   * Reports the stage's outcome when it completes, switching to the fallback on a counted failure.
   */
  private static CompletionStage<?> whenComplete(
      MethodInvocation invocation,
      MethodGuard guarded,
      GuardedCall admitted,
      CompletionStage<?> stage) {
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
          completeWithFallback(outcome, invocation, guarded, cause);
        });
    return outcome;
  }

  /** Completes {@code outcome} as the stage the fallback returns for {@code cause} completes. */
  private static void completeWithFallback(
      CompletableFuture<@Nullable Object> outcome,
      MethodInvocation invocation,
      MethodGuard guarded,
      Throwable cause) {
    try {
      CompletionStage<?> replacement =
          (CompletionStage<?>)
              guarded.fallback(invocation.getThis(), invocation.getArguments(), cause);
      if (replacement == null) {
        outcome.complete(null);
      } else {
        replacement.whenComplete(
            (fallbackValue, fallbackError) -> complete(outcome, fallbackValue, fallbackError));
      }
    } catch (Throwable fallbackError) {
      outcome.completeExceptionally(fallbackError);
    }
  }

  private static void complete(
      CompletableFuture<@Nullable Object> outcome,
      @Nullable Object value,
      @Nullable Throwable error) {
    if (error == null) {
      outcome.complete(value);
    } else {
      outcome.completeExceptionally(error);
    }
  }

  /**
   * Reports what the call threw; a counted failure goes to the fallback if any, else it is thrown.
   */
  private static @Nullable Object thrown(
      MethodInvocation invocation, MethodGuard guarded, GuardedCall admitted, Throwable error)
      throws Throwable {
    if (report(guarded, admitted, error)) {
      return fallbackOrThrow(invocation, guarded, error);
    }
    throw error;
  }

  private static @Nullable Object fallbackOrThrow(
      MethodInvocation invocation, MethodGuard guarded, Throwable error) throws Throwable {
    if (guarded.hasFallbackFor(error)) {
      return guarded.fallback(invocation.getThis(), invocation.getArguments(), error);
    }
    throw error;
  }
}
