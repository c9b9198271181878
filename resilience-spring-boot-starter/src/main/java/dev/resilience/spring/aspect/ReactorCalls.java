package dev.resilience.spring.aspect;

import dev.resilience.core.CallRejectedException;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.Reservation;
import dev.resilience.core.Retry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Guards a method returning {@code Mono} or {@code Flux}: each subscription is one guarded call,
 * admitted when it subscribes, not when the method is called. Loaded only for such methods (the
 * interceptor reaches it through {@link MethodGuard.Shape#MONO}/{@link MethodGuard.Shape#FLUX}), so
 * an application without Reactor never loads it.
 *
 * <ul>
 *   <li>A rejection is an error signal (or the fallback's publisher), never thrown at assembly.
 *   <li>A token wait is a {@code Mono.delay}: no thread is blocked; a subscriber that cancels
 *       during the wait gives the breaker's permit back.
 *   <li>The method runs once per admitted subscription (so {@code .retry()} makes new calls), on a
 *       copy of the invocation: the first call's interceptor chain is spent.
 *   <li>A timeout ({@code resilience.timeout}) bounds the whole call, from its admission to its
 *       terminal signal, and fails it with a {@code TimeoutException}, counted as {@code timeout}.
 *   <li>The outcome is recorded on the first value or completion of a {@code Mono}, on the
 *       completion of a {@code Flux}, on an error; a cancellation before then gives the permit and
 *       the bulkhead slot back without an outcome.
 *   <li>Retries ({@code resilience.retry}) re-subscribe: each attempt a guarded call, the backoff a
 *       {@code Mono.delay}, the fallback after the last attempt; a {@code Flux} is tried again only
 *       while it has emitted no item.
 * </ul>
 */
final class ReactorCalls {

  private ReactorCalls() {}

  /** Returns the guarded publisher in place of the method's. */
  static Object guard(MethodInvocation invocation, MethodGuard guarded, @Nullable String key) {
    Retry retry = guarded.retry();
    if (retry != null) {
      return retried(invocation, guarded, key, retry);
    }
    if (guarded.shape() == MethodGuard.Shape.MONO) {
      return Mono.defer(() -> subscribedMono(invocation, guarded, key));
    }
    return Flux.defer(() -> subscribedFlux(invocation, guarded, key));
  }

  /**
   * A retried call: each attempt a new subscription to the guarded publisher (so a new guarded
   * call, admitted by the breaker and the bucket again), the waits between attempts a {@code
   * Mono.delay} (no thread blocked), decided by the endpoint's {@link Retry}; the fallback, outside
   * the attempts, replaces what ends them. A {@code Flux} that has emitted an item is not tried
   * again: the subscriber would see those items twice.
   */
  private static Object retried(
      MethodInvocation invocation, MethodGuard guarded, @Nullable String key, Retry retry) {
    MethodGuard attempt = guarded.attempt();
    if (guarded.shape() == MethodGuard.Shape.MONO) {
      return Mono.defer(() -> subscribedMono(invocation, attempt, key))
          .retryWhen(waits(retry, guarded, null))
          .onErrorResume(error -> Mono.from(afterAttempts(invocation, guarded, error, true)));
    }
    return Flux.defer(
        () -> {
          // per subscriber: whether it has seen an item, after which no attempt is made again
          AtomicBoolean emitted = new AtomicBoolean();
          return Flux.defer(() -> subscribedFlux(invocation, attempt, key))
              .doOnNext(item -> emitted.lazySet(true))
              .retryWhen(waits(retry, guarded, emitted))
              .onErrorResume(error -> Flux.from(afterAttempts(invocation, guarded, error, false)));
        });
  }

  /** Reactor's retry companion driven by our own rule: the same decision as synchronous retries. */
  private static reactor.util.retry.Retry waits(
      Retry retry, MethodGuard guarded, @Nullable AtomicBoolean emitted) {
    return reactor.util.retry.Retry.from(
        signals ->
            signals.concatMap(
                signal -> {
                  Throwable failure = signal.failure();
                  if (emitted != null && emitted.get()) {
                    return Mono.error(failure);
                  }
                  long wait =
                      retry.nextWaitNanos(
                          guarded.guard(),
                          (int) signal.totalRetries() + 1,
                          FailureClassifier.unwrap(failure),
                          guarded.classifier());
                  return wait == Retry.STOP
                      ? Mono.error(failure)
                      : Mono.delay(Duration.ofNanos(wait));
                }));
  }

  /** What ends the attempts, or the fallback's publisher if it takes it. */
  private static Publisher<?> afterAttempts(
      MethodInvocation invocation, MethodGuard guarded, Throwable error, boolean mono) {
    if (error instanceof CallRejectedException rejected) {
      return rejectedOrFallback(invocation, guarded, rejected, mono);
    }
    Throwable cause = FailureClassifier.unwrap(error);
    if (guarded.classifier().classify(cause) == null || !guarded.hasFallbackFor(cause)) {
      return mono ? Mono.error(error) : Flux.error(error);
    }
    return fallback(invocation, guarded, cause, mono);
  }

  /** Returns the error for a key expression that failed: the caller's bug, no call, no fallback. */
  static Object failed(MethodGuard guarded, Throwable error) {
    return guarded.shape() == MethodGuard.Shape.MONO ? Mono.error(error) : Flux.error(error);
  }

  private static Mono<Object> subscribedMono(
      MethodInvocation invocation, MethodGuard guarded, @Nullable String key) {
    Reservation reservation;
    try {
      reservation = guarded.guard().reserve(key);
    } catch (CallRejectedException rejected) {
      return Mono.from(rejectedOrFallback(invocation, guarded, rejected, true));
    }
    if (reservation.waitNanos() == 0) {
      return runMono(invocation, guarded, reservation);
    }
    AtomicBoolean ended = new AtomicBoolean();
    return Mono.delay(Duration.ofNanos(reservation.waitNanos()))
        .flatMap(
            tick ->
                ended.compareAndSet(false, true)
                    ? runMono(invocation, guarded, reservation)
                    : Mono.empty())
        .doOnCancel(() -> cancelWaiting(reservation, ended));
  }

  private static Flux<Object> subscribedFlux(
      MethodInvocation invocation, MethodGuard guarded, @Nullable String key) {
    Reservation reservation;
    try {
      reservation = guarded.guard().reserve(key);
    } catch (CallRejectedException rejected) {
      return Flux.from(rejectedOrFallback(invocation, guarded, rejected, false));
    }
    if (reservation.waitNanos() == 0) {
      return runFlux(invocation, guarded, reservation);
    }
    AtomicBoolean ended = new AtomicBoolean();
    return Mono.delay(Duration.ofNanos(reservation.waitNanos()))
        .flatMapMany(
            tick ->
                ended.compareAndSet(false, true)
                    ? runFlux(invocation, guarded, reservation)
                    : Flux.empty())
        .doOnCancel(() -> cancelWaiting(reservation, ended));
  }

  /** A subscriber that leaves while waiting for its token gives the permit back. */
  private static void cancelWaiting(Reservation reservation, AtomicBoolean ended) {
    if (ended.compareAndSet(false, true)) {
      reservation.cancel();
    }
  }

  private static Mono<Object> runMono(
      MethodInvocation invocation, MethodGuard guarded, Reservation reservation) {
    Outcome outcome;
    Publisher<?> source;
    try {
      outcome = new Outcome(reservation.admit(), guarded);
    } catch (CallRejectedException rejected) {
      return Mono.from(rejectedOrFallback(invocation, guarded, rejected, true));
    }
    try {
      source = invoke(invocation);
    } catch (Throwable error) {
      return Mono.from(failedOrFallback(invocation, guarded, outcome, error, true));
    }
    Mono<Object> call = Mono.from(source);
    if (guarded.timeout() != null) {
      call = call.timeout(guarded.timeout(), Mono.error(guarded::timedOut));
    }
    return call.doOnSuccess(value -> outcome.succeeded())
        .onErrorResume(
            error -> Mono.from(failedOrFallback(invocation, guarded, outcome, error, true)))
        .doOnCancel(outcome::abandoned);
  }

  private static Flux<Object> runFlux(
      MethodInvocation invocation, MethodGuard guarded, Reservation reservation) {
    Outcome outcome;
    Publisher<?> source;
    try {
      outcome = new Outcome(reservation.admit(), guarded);
    } catch (CallRejectedException rejected) {
      return Flux.from(rejectedOrFallback(invocation, guarded, rejected, false));
    }
    try {
      source = invoke(invocation);
    } catch (Throwable error) {
      return Flux.from(failedOrFallback(invocation, guarded, outcome, error, false));
    }
    Flux<Object> call = Flux.from(source);
    Duration timeout = guarded.timeout();
    if (timeout != null) {
      // one deadline for the whole call, not one per item as Flux.timeout(Duration) would set
      long deadline = Schedulers.parallel().now(TimeUnit.NANOSECONDS) + timeout.toNanos();
      call =
          call.timeout(
              Mono.delay(timeout),
              item ->
                  Mono.delay(
                      Duration.ofNanos(
                          Math.max(0, deadline - Schedulers.parallel().now(TimeUnit.NANOSECONDS)))),
              Flux.error(guarded::timedOut));
    }
    return call.doOnComplete(outcome::succeeded)
        .onErrorResume(
            error -> Flux.from(failedOrFallback(invocation, guarded, outcome, error, false)))
        .doOnCancel(outcome::abandoned);
  }

  /** Runs the method on a fresh copy of the invocation: one per admitted subscription. */
  @SuppressWarnings("unchecked")
  private static Publisher<?> invoke(MethodInvocation invocation) throws Throwable {
    MethodInvocation call =
        invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : invocation;
    Object result = call.proceed();
    if (result == null) {
      throw new IllegalStateException(
          "@Guarded method "
              + invocation.getMethod().getDeclaringClass().getSimpleName()
              + "."
              + invocation.getMethod().getName()
              + " returned null instead of a "
              + invocation.getMethod().getReturnType().getSimpleName()
              + ": return Mono.empty() or Flux.empty() for no value");
    }
    return (Publisher<?>) result;
  }

  /** Reports a failure; a counted one goes to the fallback, if it takes it. */
  private static Publisher<?> failedOrFallback(
      MethodInvocation invocation,
      MethodGuard guarded,
      Outcome outcome,
      Throwable error,
      boolean mono) {
    if (!outcome.failed(error)) {
      return mono ? Mono.error(error) : Flux.error(error);
    }
    Throwable cause = FailureClassifier.unwrap(error);
    if (!guarded.hasFallbackFor(cause)) {
      return mono ? Mono.error(error) : Flux.error(error);
    }
    return fallback(invocation, guarded, cause, mono);
  }

  private static Publisher<?> rejectedOrFallback(
      MethodInvocation invocation,
      MethodGuard guarded,
      CallRejectedException rejected,
      boolean mono) {
    if (!guarded.hasFallbackFor(rejected)) {
      return mono ? Mono.error(rejected) : Flux.error(rejected);
    }
    return fallback(invocation, guarded, rejected, mono);
  }

  /** The fallback's own publisher; its exceptions and a null become signals too. */
  private static Publisher<?> fallback(
      MethodInvocation invocation, MethodGuard guarded, Throwable error, boolean mono) {
    Object replacement;
    try {
      replacement = guarded.fallback(invocation.getThis(), invocation.getArguments(), error);
    } catch (Throwable fallbackError) {
      return mono ? Mono.error(fallbackError) : Flux.error(fallbackError);
    }
    if (replacement == null) {
      return mono ? Mono.empty() : Flux.empty();
    }
    return (Publisher<?>) replacement;
  }

  /**
   * One subscription's call: its outcome reported once, whichever signal comes first (a value and a
   * cancellation can race, and Reactor may cancel after a {@code Mono}'s value).
   */
  private static final class Outcome extends AtomicBoolean {

    private static final long serialVersionUID = 1L;

    private final transient GuardedCall call;
    private final transient MethodGuard guarded;

    Outcome(GuardedCall call, MethodGuard guarded) {
      this.call = call;
      this.guarded = guarded;
    }

    void succeeded() {
      if (compareAndSet(false, true)) {
        call.succeeded();
      }
    }

    /** Returns whether {@code error} counted as a failure; false if the outcome was known. */
    boolean failed(Throwable error) {
      return compareAndSet(false, true) && call.failed(error, guarded.classifier());
    }

    void abandoned() {
      if (compareAndSet(false, true)) {
        call.abandoned();
      }
    }
  }
}
