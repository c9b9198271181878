package dev.resilience.spring.aspect;

import dev.resilience.core.CallRejectedException;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.Reservation;
import dev.resilience.core.Retry;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

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
    boolean mono = guarded.shape() == MethodGuard.Shape.MONO;
    Publisher<Object> calls = publisher(invocation, guarded, key, mono);
    if (!guarded.hasFallback()) {
      return calls;
    }
    return mono
        ? ((Mono<Object>) calls)
            .onErrorResume(error -> Mono.from(orFallback(invocation, guarded, error, true)))
        : ((Flux<Object>) calls)
            .onErrorResume(error -> Flux.from(orFallback(invocation, guarded, error, false)));
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
      return ((Mono<Object>) publisher(invocation, attempt, key, true))
          .retryWhen(waits(retry, guarded, null))
          .onErrorResume(error -> Mono.from(orFallback(invocation, guarded, error, true)));
    }
    return Flux.defer(
        () -> {
          // per subscriber: whether it has seen an item, after which no attempt is made again
          AtomicBoolean emitted = new AtomicBoolean();
          return ((Flux<Object>) publisher(invocation, attempt, key, false))
              .doOnNext(item -> emitted.lazySet(true))
              .retryWhen(waits(retry, guarded, emitted))
              .onErrorResume(error -> Flux.from(orFallback(invocation, guarded, error, false)));
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

  /**
   * What ended the call (or the attempts), or the fallback's publisher when it takes it: a
   * rejection, or a failure that counts against the downstream.
   */
  private static Publisher<?> orFallback(
      MethodInvocation invocation, MethodGuard guarded, Throwable error, boolean mono) {
    Throwable cause =
        error instanceof CallRejectedException ? error : FailureClassifier.unwrap(error);
    if (!guarded.hasFallbackFor(cause)
        || (!(cause instanceof CallRejectedException)
            && guarded.classifier().classify(cause) == null)) {
      return mono ? Mono.error(error) : Flux.error(error);
    }
    Object replacement;
    try {
      replacement = guarded.fallback(invocation.getThis(), invocation.getArguments(), cause);
    } catch (Throwable fallbackError) {
      return mono ? Mono.error(fallbackError) : Flux.error(fallbackError);
    }
    if (replacement == null) {
      return mono ? Mono.empty() : Flux.empty();
    }
    return (Publisher<?>) replacement;
  }

  /** Returns the error for a key expression that failed: the caller's bug, no call, no fallback. */
  static Object failed(MethodGuard guarded, Throwable error) {
    return guarded.shape() == MethodGuard.Shape.MONO ? Mono.error(error) : Flux.error(error);
  }

  /**
   * Returns one call of the method as a publisher: each subscription to it is a guarded call of its
   * own. The one operator of the guarded path, so that a call costs a publisher and a subscriber on
   * top of the method's own, not a chain of Reactor operators.
   */
  private static Publisher<Object> publisher(
      MethodInvocation invocation, MethodGuard guarded, @Nullable String key, boolean mono) {
    return mono ? AsMono.of(invocation, guarded, key) : AsFlux.of(invocation, guarded, key);
  }

  /**
   * Admits one subscription: at once when its token is there (before the subscriber can cancel, so
   * no race), else after a timer's delay; a rejection is the subscriber's error signal.
   */
  private static void subscribe(
      CoreSubscriber<? super Object> actual,
      MethodInvocation invocation,
      MethodGuard guarded,
      @Nullable String key,
      boolean mono) {
    Reservation reservation;
    GuardedCall admitted = null;
    try {
      reservation = guarded.guard().reserve(key);
      if (reservation.waitNanos() == 0) {
        admitted = reservation.admit();
      }
    } catch (CallRejectedException rejected) {
      Operators.error(actual, rejected);
      return;
    }
    GuardedSubscription subscription =
        new GuardedSubscription(actual, invocation, guarded, mono, reservation, admitted);
    actual.onSubscribe(subscription);
    if (admitted != null) {
      subscription.start();
    } else {
      subscription.startAfter(reservation.waitNanos());
    }
  }

  /**
   * Runs the method on a fresh copy of the invocation (the first call's interceptor chain is
   * spent), bounded by the endpoint's timeout when it has one.
   */
  private static Publisher<?> invoke(MethodInvocation invocation, MethodGuard guarded, boolean mono)
      throws Throwable {
    MethodInvocation copy =
        invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : invocation;
    Object result = copy.proceed();
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
    Publisher<?> source = (Publisher<?>) result;
    Duration timeout = guarded.timeout();
    if (timeout == null) {
      return source;
    }
    if (mono) {
      return Mono.from(source).timeout(timeout, Mono.error(guarded::timedOut));
    }
    // one deadline for the whole call, not one per item as Flux.timeout(Duration) would set
    long deadline = Schedulers.parallel().now(TimeUnit.NANOSECONDS) + timeout.toNanos();
    return Flux.from(source)
        .timeout(
            Mono.delay(timeout),
            item ->
                Mono.delay(
                    Duration.ofNanos(
                        Math.max(0, deadline - Schedulers.parallel().now(TimeUnit.NANOSECONDS)))),
            Flux.error(guarded::timedOut));
  }

  private static final class AsMono extends Mono<Object> {

    private final MethodInvocation invocation;
    private final MethodGuard guarded;
    private final @Nullable String key;

    private AsMono(MethodInvocation invocation, MethodGuard guarded, @Nullable String key) {
      this.invocation = invocation;
      this.guarded = guarded;
      this.key = key;
    }

    /** Passes through Reactor's assembly hooks, as Reactor's own operators do. */
    static Mono<Object> of(MethodInvocation invocation, MethodGuard guarded, @Nullable String key) {
      return onAssembly(new AsMono(invocation, guarded, key));
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
      ReactorCalls.subscribe(actual, invocation, guarded, key, true);
    }
  }

  private static final class AsFlux extends Flux<Object> {

    private final MethodInvocation invocation;
    private final MethodGuard guarded;
    private final @Nullable String key;

    private AsFlux(MethodInvocation invocation, MethodGuard guarded, @Nullable String key) {
      this.invocation = invocation;
      this.guarded = guarded;
      this.key = key;
    }

    /** Passes through Reactor's assembly hooks, as Reactor's own operators do. */
    static Flux<Object> of(MethodInvocation invocation, MethodGuard guarded, @Nullable String key) {
      return onAssembly(new AsFlux(invocation, guarded, key));
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
      ReactorCalls.subscribe(actual, invocation, guarded, key, false);
    }
  }

  /**
   * One subscription's guarded call: the subscriber of the method's publisher and the subscription
   * its own subscriber holds (requests made before the method's publisher is there are kept for
   * it). Its outcome is reported once, on the first of: a {@code Mono}'s value, completion, an
   * error, a cancellation (which gives the permit, and a waiting subscription's reservation, back).
   */
  private static final class GuardedSubscription extends Operators.DeferredSubscription
      implements CoreSubscriber<Object>, Runnable {

    private static final int WAITING = 0;
    private static final int ADMITTING = 1;
    private static final int RUNNING = 2;
    private static final int ENDED = 3;

    private static final AtomicIntegerFieldUpdater<GuardedSubscription> STATE =
        AtomicIntegerFieldUpdater.newUpdater(GuardedSubscription.class, "state");

    private final CoreSubscriber<? super Object> actual;
    private final MethodInvocation invocation;
    private final MethodGuard guarded;
    private final boolean mono;
    private final Reservation reservation;
    private @Nullable GuardedCall admitted;
    private volatile int state;
    private volatile @Nullable Disposable timer;

    GuardedSubscription(
        CoreSubscriber<? super Object> actual,
        MethodInvocation invocation,
        MethodGuard guarded,
        boolean mono,
        Reservation reservation,
        @Nullable GuardedCall admitted) {
      this.actual = actual;
      this.invocation = invocation;
      this.guarded = guarded;
      this.mono = mono;
      this.reservation = reservation;
      this.admitted = admitted;
      this.state = admitted == null ? WAITING : RUNNING;
    }

    /** Waits for the token on a timer, not on a thread; then {@link #run()} admits the call. */
    void startAfter(long waitNanos) {
      try {
        Disposable scheduled =
            Schedulers.parallel().schedule(this, waitNanos, TimeUnit.NANOSECONDS);
        timer = scheduled;
        if (state == ENDED) {
          scheduled.dispose();
        }
      } catch (RejectedExecutionException shutDown) {
        if (STATE.compareAndSet(this, WAITING, ENDED)) {
          reservation.cancel();
          actual.onError(shutDown);
        }
      }
    }

    /** The token is there: admits the call, unless the subscriber has gone in the meantime. */
    @Override
    public void run() {
      if (!STATE.compareAndSet(this, WAITING, ADMITTING)) {
        return;
      }
      GuardedCall call;
      try {
        call = reservation.admit();
      } catch (CallRejectedException bulkheadFull) {
        if (STATE.compareAndSet(this, ADMITTING, ENDED)) {
          actual.onError(bulkheadFull);
        }
        return;
      }
      admitted = call;
      if (!STATE.compareAndSet(this, ADMITTING, RUNNING)) {
        call.abandoned(); // cancelled while being admitted
        return;
      }
      start();
    }

    /** Runs the admitted call and subscribes to its publisher. */
    void start() {
      if (state != RUNNING) {
        return; // cancelled before it started: the permit is back already
      }
      Publisher<?> source;
      try {
        source = invoke(invocation, guarded, mono);
      } catch (Throwable error) {
        onError(error);
        return;
      }
      source.subscribe(this);
    }

    @Override
    public void onSubscribe(Subscription upstream) {
      set(upstream);
    }

    @Override
    public void onNext(Object value) {
      if (mono && state == RUNNING && STATE.compareAndSet(this, RUNNING, ENDED)) {
        admitted.succeeded();
      }
      actual.onNext(value);
    }

    @Override
    public void onError(Throwable error) {
      if (STATE.compareAndSet(this, RUNNING, ENDED)) {
        admitted.failed(error, guarded.classifier());
      }
      actual.onError(error);
    }

    @Override
    public void onComplete() {
      if (STATE.compareAndSet(this, RUNNING, ENDED)) {
        admitted.succeeded();
      }
      actual.onComplete();
    }

    @Override
    public void cancel() {
      super.cancel();
      for (int now = state; now != ENDED; now = state) {
        if (STATE.compareAndSet(this, now, ENDED)) {
          if (now == WAITING) {
            reservation.cancel();
            Disposable scheduled = timer;
            if (scheduled != null) {
              scheduled.dispose();
            }
          } else if (now == RUNNING) {
            admitted.abandoned();
          } // ADMITTING: run() sees the cancellation and abandons the call it admitted
          return;
        }
      }
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }
  }
}
