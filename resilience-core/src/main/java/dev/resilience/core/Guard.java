package dev.resilience.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint's protection: its breaker (possibly shared with other endpoints) and its own token
 * bucket, applied in a fixed order. Obtained from {@link ResilienceRegistry#guard}.
 *
 * <p>Order of checks: the breaker first, then the bucket, then the call. A call rejected by the
 * breaker never touches the bucket; a call rejected by the bucket gives its breaker permit back, so
 * that it is not a failure and frees its half-open probe slot.
 *
 * <p>The one way to run a call:
 *
 * <pre>{@code
 * Guard guard = registry.guard("place_order", "exchange", false);
 * Order order = guard.call(() -> exchange.place(request), FailureClassifier.jdk());
 * }</pre>
 *
 * <p>Callers that cannot hand the call over as a {@code Callable} (an aspect, a call that completes
 * later) use the low-level entry {@link #admit()} and report the outcome on the {@link GuardedCall}
 * it returns, exactly once. Callers that must not block a thread while waiting for a token (a
 * reactive call) use {@link #reserve(String)}, wait out {@link Reservation#waitNanos()} their own
 * way, then admit the call.
 *
 * <p>A guarded call reads the clock once when its breaker does not time calls: admission, the
 * bucket and the success share one reading. An endpoint with an {@link AdaptiveLimit} reads it once
 * more when its slot is taken and once when the call ends, for the call's round-trip time.
 *
 * <p>An endpoint has at most one of a {@link Bulkhead} and an {@link AdaptiveLimit}: the slot is
 * taken last, after the permit and the token. An adaptive limit never waits for a slot: a call that
 * finds the limit reached is turned away at once with a {@link BulkheadFullException}.
 */
public final class Guard {

  private static final GuardListener[] NO_LISTENERS = {};

  private final String endpoint;
  private final TimeWindowCircuitBreaker breaker;
  private final @Nullable RateLimiter rateLimiter;
  private final @Nullable KeyedRateLimiter keyedRateLimiter;
  private final @Nullable Bulkhead bulkhead;
  private final long bulkheadWaitNanos;
  private final @Nullable AdaptiveLimit adaptiveLimit;
  private final boolean allowlisted;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final long maxWaitNanos;
  private final DownstreamPacing pacing;

  /** The end of the latest pause this guard applied; in the past (or now) when none holds. */
  private final AtomicLong pausedUntil;

  private volatile GuardListener[] listeners = NO_LISTENERS;

  Guard(
      String endpoint,
      TimeWindowCircuitBreaker breaker,
      @Nullable RateLimiter rateLimiter,
      @Nullable KeyedRateLimiter keyedRateLimiter,
      @Nullable Bulkhead bulkhead,
      @Nullable AdaptiveLimit adaptiveLimit,
      RateLimiterConfig limiterConfig,
      boolean allowlisted,
      Ticker ticker,
      Sleeper sleeper,
      DownstreamPacing pacing) {
    this.endpoint = endpoint;
    this.breaker = breaker;
    this.rateLimiter = rateLimiter;
    this.keyedRateLimiter = keyedRateLimiter;
    this.bulkhead = bulkhead;
    this.bulkheadWaitNanos = bulkhead == null ? 0 : bulkhead.config().maxWait().toNanos();
    if (bulkhead != null && adaptiveLimit != null) {
      throw new IllegalArgumentException(
          "Endpoint '" + endpoint + "' cannot have both a bulkhead and an adaptive limit");
    }
    this.adaptiveLimit = adaptiveLimit;
    this.allowlisted = allowlisted;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.maxWaitNanos = limiterConfig.maxWait().toNanos();
    this.pacing = pacing;
    this.pausedUntil = new AtomicLong(ticker.read());
  }

  /**
   * Returns a guard with a breaker of its own and no bucket, for the calls a library makes to a
   * store it depends on (a shared rate-limit store): it takes no token, so it never waits.
   *
   * @param name the guard's and its breaker's name, 1 to 64 of {@code [A-Za-z0-9_.-]}
   */
  public static Guard ofBreaker(String name, CircuitBreakerConfig config, Ticker ticker) {
    Checks.name("name", name);
    return new Guard(
        name,
        new TimeWindowCircuitBreaker(name, Objects.requireNonNull(config, "config"), ticker),
        null,
        null,
        null,
        null,
        new RateLimiterConfig(1, 1, Duration.ZERO),
        false,
        Objects.requireNonNull(ticker, "ticker"),
        Sleeper.SYSTEM,
        DownstreamPacing.none());
  }

  /** Returns the endpoint name: the bucket's name and the metrics' {@code endpoint} tag. */
  public String endpoint() {
    return endpoint;
  }

  /** Returns the breaker this endpoint reports to. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Returns this endpoint's token bucket, or null when it has one per key. */
  public @Nullable RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** Returns this endpoint's buckets per key, or null when it has one bucket for all calls. */
  public @Nullable KeyedRateLimiter keyedRateLimiter() {
    return keyedRateLimiter;
  }

  /** Returns the endpoint's bulkhead, or null if its calls are not limited in number. */
  public @Nullable Bulkhead bulkhead() {
    return bulkhead;
  }

  /**
   * Returns the endpoint's adaptive concurrency limit, or null if it has none (it has a fixed
   * {@link #bulkhead()} or no limit in number).
   */
  public @Nullable AdaptiveLimit adaptiveLimit() {
    return adaptiveLimit;
  }

  /** Returns whether each key has its own bucket: calls then name their key. */
  public boolean keyed() {
    return keyedRateLimiter != null;
  }

  /** Returns whether calls pass even while the breaker is OPEN or HALF_OPEN. */
  public boolean allowlisted() {
    return allowlisted;
  }

  /**
   * Runs {@code call} under this guard and reports its outcome.
   *
   * @param classifier decides whether an exception of the call counts against the downstream
   * @throws CallRejectedException if the breaker or the bucket turned the call away
   * @throws Exception whatever {@code call} threw, unchanged
   */
  public <T> T call(Callable<T> call, FailureClassifier classifier) throws Exception {
    return call(null, call, classifier);
  }

  /**
   * Runs {@code call} under this guard, taking the token from {@code key}'s own bucket, and reports
   * its outcome.
   *
   * @param key the caller's key (account, API key, peer); null only when this guard is not {@link
   *     #keyed()}
   * @throws IllegalArgumentException if a key is passed to a guard that is not keyed, or none to
   *     one that is
   * @see #call(Callable, FailureClassifier)
   */
  public <T> T call(@Nullable String key, Callable<T> call, FailureClassifier classifier)
      throws Exception {
    long now = ticker.read();
    long permit = enter(now, key);
    long start = callStart(now);
    T result;
    try {
      result = call.call();
    } catch (Exception | Error e) {
      failed(permit, e, classifier, start);
      throw e;
    }
    succeeded(permit, start);
    return result;
  }

  /**
   * Admits one call, for a caller that reports its outcome itself: asks the breaker, then takes a
   * token, waiting for it up to the bucket's {@code maxWait}.
   *
   * @return the admitted call, whose outcome must be reported exactly once
   * @throws CircuitOpenException if the breaker rejects the call
   * @throws RateLimitedException if no token comes within {@code maxWait}, or if the thread is
   *     interrupted while waiting (the interrupt flag is set again)
   */
  public GuardedCall admit() {
    return admit(null);
  }

  /**
   * {@link #admit()} with the token from {@code key}'s own bucket.
   *
   * @param key the caller's key; null only when this guard is not {@link #keyed()}
   * @throws IllegalArgumentException if a key is passed to a guard that is not keyed, or none to
   *     one that is
   */
  public GuardedCall admit(@Nullable String key) {
    long now = ticker.read();
    long permit = enter(now, key);
    return new GuardedCall(this, permit, callStart(now));
  }

  /**
   * Returns the nanoseconds until the latest downstream pause this guard applied ends ({@link
   * DownstreamPacing}), or 0 when none holds now. A pause applied by another instance through a
   * shared bucket does not show here.
   */
  public long downstreamPauseNanos() {
    return Math.max(0, pausedUntil.get() - ticker.read());
  }

  /** Adds a listener told of every later call's outcome. */
  public synchronized void addListener(GuardListener listener) {
    Objects.requireNonNull(listener, "listener");
    GuardListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
    grown[listeners.length] = listener;
    listeners = grown;
  }

  /**
   * Reserves one call without waiting, for a caller that must not block a thread (a reactive call):
   * asks the breaker, then reserves a token, and returns how long the caller must wait for it. The
   * caller waits in its own way, then either {@link Reservation#admit() admits} the call or {@link
   * Reservation#cancel() cancels} the reservation, exactly once.
   *
   * @param key the caller's key; null only when this guard is not {@link #keyed()}
   * @return the reservation, holding the breaker's permit and the reserved token
   * @throws CircuitOpenException if the breaker rejects the call
   * @throws RateLimitedException if no token comes within the bucket's {@code maxWait}
   * @throws IllegalArgumentException if a key is passed to a guard that is not keyed, or none to
   *     one that is
   */
  public Reservation reserve(@Nullable String key) {
    long now = ticker.read();
    long permit = permit(key);
    return new Reservation(this, permit, now, token(permit, key, now));
  }

  /** Admits a call at {@code now}: the breaker's permit, then a token; returns the permit. */
  private long enter(long now, @Nullable String key) {
    long permit = permit(key);
    long wait = token(permit, key, now);
    if (wait == 0) {
      return takeSlot(permit, bulkheadWaitNanos);
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      breaker.releasePermission(permit);
      throw rejected(new RateLimitedException(endpoint, nanosUntilToken(key)));
    }
    return takeSlot(permit, bulkheadWaitNanos);
  }

  /** Checks the key, then asks the breaker; returns its permit. */
  private long permit(@Nullable String key) {
    if ((key == null) == keyed()) {
      throw new IllegalArgumentException(
          keyed()
              ? "Endpoint '" + endpoint + "' has a bucket per key: pass the call's key"
              : "Endpoint '" + endpoint + "' has one bucket for all calls: pass no key");
    }
    long permit = breaker.tryAcquirePermission(allowlisted);
    if (permit == TimeWindowCircuitBreaker.NO_PERMIT) {
      throw rejected(new CircuitOpenException(endpoint, breaker.name(), breaker.retryAfterNanos()));
    }
    return permit;
  }

  /**
   * Reserves a token for the holder of {@code permit}; returns the wait for it, or gives the permit
   * back and throws when none comes within {@code maxWait}.
   */
  private long token(long permit, @Nullable String key, long now) {
    long wait = reserve(key, now);
    if (wait == RateLimiter.REJECTED) {
      breaker.releasePermission(permit);
      long retryAfter = nanosUntilToken(key);
      for (GuardListener listener : listeners) {
        listener.onBucketEmpty(this, retryAfter, false);
      }
      throw rejected(new RateLimitedException(endpoint, retryAfter));
    }
    if (wait > 0) {
      for (GuardListener listener : listeners) {
        listener.onBucketEmpty(this, wait, true);
      }
    }
    return wait;
  }

  /** For {@link #admitReserved}: the admission time is not known, read the clock. */
  static final long READ_CLOCK = Long.MIN_VALUE;

  /**
   * Admits a reserved call whose wait is over: a bulkhead or adaptive-limit slot without waiting,
   * then its start.
   *
   * @param admittedAt the clock's reading at admission, or {@link #READ_CLOCK} to read it now
   */
  GuardedCall admitReserved(long permit, long admittedAt) {
    takeSlot(permit, 0);
    long now = admittedAt == READ_CLOCK ? ticker.read() : admittedAt;
    return new GuardedCall(this, permit, callStart(now));
  }

  /**
   * The start of a call admitted by a decision taken at {@code decidedAt}: the breaker's, which
   * reads the clock only when it times calls; and a fresh reading for an adaptive limit, whose
   * round-trip time must not include a wait for the token that came between.
   */
  private long callStart(long decidedAt) {
    return adaptiveLimit == null ? breaker.callStart(decidedAt) : ticker.read();
  }

  /**
   * Takes a bulkhead slot for an admitted call, last, so that a call waiting for its token holds no
   * slot; a call that finds none gives its breaker permit back (its token stays spent). An adaptive
   * limit never waits.
   */
  private long takeSlot(long permit, long waitNanos) {
    if (bulkhead == null) {
      if (adaptiveLimit != null && !adaptiveLimit.tryAcquire()) {
        breaker.releasePermission(permit);
        throw rejected(new BulkheadFullException(endpoint, adaptiveLimit.limit(), true));
      }
      return permit;
    }
    boolean taken;
    try {
      taken = bulkhead.tryAcquire(waitNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      taken = false;
    }
    if (!taken) {
      breaker.releasePermission(permit);
      throw rejected(new BulkheadFullException(endpoint, bulkhead.config().maxConcurrent()));
    }
    return permit;
  }

  // enter() checked that a key comes exactly when the guard is keyed
  private long reserve(@Nullable String key, long now) {
    if (key != null) {
      // a keyed endpoint has no one bucket to hold empty: its downstream pause is a gate before
      // every key's buckets, and a call that may wait takes its key's token as of the pause's end
      long until = pausedUntil.get();
      long pause = until - now;
      if (pause <= 0) {
        return keyedRateLimiter.tryReserve(key, maxWaitNanos, now);
      }
      if (pause > maxWaitNanos) {
        return RateLimiter.REJECTED;
      }
      long wait = keyedRateLimiter.tryReserve(key, maxWaitNanos - pause, until);
      return wait == RateLimiter.REJECTED ? wait : pause + wait;
    }
    return rateLimiter == null ? 0 : rateLimiter.tryReserve(maxWaitNanos, now);
  }

  private long nanosUntilToken(@Nullable String key) {
    if (key == null) {
      return rateLimiter.nanosUntilToken();
    }
    return Math.max(downstreamPauseNanos(), keyedRateLimiter.nanosUntilAdmitted(key));
  }

  void succeeded(long permit, long start) {
    if (bulkhead != null) {
      bulkhead.release();
    }
    String slow = breaker.succeeded(permit, start);
    if (adaptiveLimit != null) {
      // a success slower than the breaker's slow-call duration is a counted failure there: here too
      long rtt = ticker.read() - start;
      if (slow != null) {
        adaptiveLimit.onDropped(rtt, slow);
      } else {
        adaptiveLimit.onSuccess(rtt);
      }
    }
    for (GuardListener listener : listeners) {
      if (slow != null) {
        listener.onFailure(this, slow);
      } else {
        listener.onSuccess(this);
      }
    }
  }

  /** Reports an error of the call; returns whether it counted as a failure. */
  boolean failed(long permit, Throwable error, FailureClassifier classifier, long start) {
    String code = classifier.classify(error);
    if (code == null) {
      releaseSlot();
      breaker.releasePermission(permit);
      for (GuardListener listener : listeners) {
        listener.onIgnoredError(this, error);
      }
      return false;
    }
    pause(error);
    failed(permit, code, start);
    return true;
  }

  /**
   * Holds the endpoint's bucket empty for as long as the counted failure {@code error} asks, before
   * its permit goes back. An endpoint with buckets per key is paused for every key, by this guard
   * (see {@link #reserve}); a guard with no bucket at all (a store's own breaker) is not paused.
   */
  private void pause(Throwable error) {
    if (rateLimiter == null && keyedRateLimiter == null) {
      return;
    }
    long pauseNanos = pacing.pauseNanos(error);
    if (pauseNanos <= 0) {
      return;
    }
    long until = ticker.read() + Math.min(pauseNanos, DownstreamPacing.MAX_PAUSE_NANOS);
    if (rateLimiter != null) {
      rateLimiter.holdEmptyUntil(until);
    }
    pausedUntil.accumulateAndGet(until, (held, asked) -> asked - held > 0 ? asked : held);
    for (GuardListener listener : listeners) {
      listener.onDownstreamPause(this, until);
    }
  }

  void failed(long permit, String code, long start) {
    if (bulkhead != null) {
      bulkhead.release();
    } else if (adaptiveLimit != null) {
      adaptiveLimit.onDropped(ticker.read() - start, code);
    }
    String counted = breaker.onFailure(permit, code);
    for (GuardListener listener : listeners) {
      listener.onFailure(this, counted);
    }
  }

  void released(long permit) {
    releaseSlot();
    breaker.releasePermission(permit);
  }

  /** Gives back the permit of a reservation that never became a call: it holds no slot. */
  void cancelled(long permit) {
    breaker.releasePermission(permit);
  }

  /**
   * Gives back the slot of a call that ended saying nothing of the downstream's load (an ignored
   * error, an abandoned call). Every admitted call ends through here, {@link #succeeded} or {@link
   * #failed(long, String, long)} exactly once.
   */
  private void releaseSlot() {
    if (bulkhead != null) {
      bulkhead.release();
    } else if (adaptiveLimit != null) {
      adaptiveLimit.onIgnored();
    }
  }

  private CallRejectedException rejected(CallRejectedException rejection) {
    for (GuardListener listener : listeners) {
      listener.onRejected(this, rejection);
    }
    return rejection;
  }

  @Override
  public String toString() {
    return "Guard{"
        + endpoint
        + ", breaker="
        + breaker.name()
        + (allowlisted ? ", allowlisted" : "")
        + (keyed() ? ", keyed" : "")
        + (bulkhead != null ? ", bulkhead " + bulkhead.config().maxConcurrent() : "")
        + (adaptiveLimit != null ? ", adaptive limit " + adaptiveLimit.limit() : "")
        + '}';
  }
}
