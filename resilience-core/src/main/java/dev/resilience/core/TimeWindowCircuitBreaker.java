package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The {@link CircuitBreaker} behind {@link CircuitBreaker#of}.
 *
 * <p>All state lives in one immutable {@link State}, replaced by compare-and-set. Each update
 * computes the next state without side effects; the window is written and listeners are told only
 * by the thread whose compare-and-set won. The CLOSED success path reads the state, then adds one
 * to the current window slice: no lock, no allocation.
 *
 * <p>Permits encode the state generation they were granted in ({@code generation << 2 | kind}), so
 * a report that arrives after the breaker moved on cannot be mistaken for one of the current
 * probes. Permits never leave this package: a {@link Guard} takes one per call and reports it
 * exactly once (its {@link GuardedCall} refuses a second report), so no caller can report one twice
 * or make one up.
 *
 * <p>Time: the breaker alone decides whether calls are timed ({@link #callStart}): only a slow-call
 * duration or a failure rate needs a call's start and end. Otherwise a guarded call reads the clock
 * once, and its success counts in the window from its admission.
 */
final class TimeWindowCircuitBreaker implements CircuitBreaker {

  private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());
  private static final VarHandle STATE;

  static {
    try {
      STATE =
          MethodHandles.lookup()
              .findVarHandle(TimeWindowCircuitBreaker.class, "state", State.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What {@link #tryAcquirePermission} returns for a rejected call. */
  static final long NO_PERMIT = 0;

  /** Permit kinds; NONE marks a caller that gets no permit. */
  private static final int NONE = 0;

  private static final int NORMAL = 1;
  private static final int PROBE = 2;
  private static final int ALLOWLISTED = 3;
  private static final TransitionListener[] NO_LISTENERS = {};

  private final String name;
  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final FailureCodeTable codes = new FailureCodeTable();
  private final long windowNanos;
  private final long cooldownNanos;
  private final long minDwellNanos;
  private final long openNanos;
  private final long slowNanos;
  private final long thresholdUnits;
  private final double ratePercent;

  /** Whether a call's start and end matter: a slow-call duration or a failure rate is set. */
  private final boolean timed;

  private volatile State state; // replaced through STATE

  private volatile TransitionListener[] listeners = NO_LISTENERS;

  TimeWindowCircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker) {
    this.name = name;
    this.config = config;
    this.ticker = ticker;
    this.windowNanos = config.window().toNanos();
    this.cooldownNanos = config.cooldown().toNanos();
    this.minDwellNanos = config.minDwell().toNanos();
    this.openNanos = Math.max(cooldownNanos, minDwellNanos);
    Duration slow = config.slowCallDuration();
    this.slowNanos = slow == null ? Long.MAX_VALUE : slow.toNanos();
    this.thresholdUnits = config.failThreshold() * CircuitBreakerConfig.WEIGHT_UNIT;
    Double rate = config.failureRateThreshold();
    this.ratePercent = rate == null ? 0 : rate;
    this.timed = slow != null || rate != null;
    long now = ticker.read();
    this.state = State.initial(now, newWindow(now));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CircuitBreakerConfig config() {
    return config;
  }

  /**
   * Asks to make one call; allowlisted calls pass while OPEN or HALF_OPEN.
   *
   * @return a permit to hand to exactly one outcome method, or {@link #NO_PERMIT}
   */
  long tryAcquirePermission(boolean allowlisted) {
    State current = state;
    if (current.kind == CircuitState.CLOSED || allowlisted) {
      return current.permit(allowlisted ? ALLOWLISTED : NORMAL);
    }
    return acquireWhileNotClosed(current);
  }

  private long acquireWhileNotClosed(State current) {
    long now = ticker.read();
    for (State s = current; ; s = state) {
      State next;
      int kind = PROBE;
      switch (s.kind) {
        case CLOSED -> {
          return s.permit(NORMAL);
        }
        case OPEN -> {
          if (!cooledDown(s, now)) {
            return NO_PERMIT;
          }
          next = s.moveTo(CircuitState.HALF_OPEN, now, s.window).probes(1, 0, now);
        }
        case HALF_OPEN -> {
          if (s.probeSuccesses >= config.probeCount() && now - s.since >= minDwellNanos) {
            next = s.moveTo(CircuitState.CLOSED, now, newWindow(now));
            kind = NORMAL;
          } else if (s.probesInFlight < config.probeCount()) {
            next = s.probes(s.probesInFlight + 1, s.probeSuccesses, now);
          } else if (now - s.probeClock >= cooldownNanos) {
            next = s.moveTo(CircuitState.OPEN, now, s.window); // the probes hung
            kind = NONE;
          } else {
            return NO_PERMIT;
          }
        }
        default -> throw new AssertionError(s.kind);
      }
      if (STATE.compareAndSet(this, s, next)) {
        if (kind == NONE) {
          next.window.recordFailure(
              now, codes.indexOf(FailureCodes.TIMEOUT), config.weightUnits(FailureCodes.TIMEOUT));
        }
        announce(s, next);
        return kind == NONE ? NO_PERMIT : next.permit(kind);
      }
    }
  }

  /**
   * Returns when the call admitted at {@code admittedAt} starts, for its outcome: {@code
   * admittedAt} itself unless calls are timed; then a fresh reading, so that time spent waiting for
   * a token never counts toward the call's duration.
   */
  long callStart(long admittedAt) {
    return timed ? ticker.read() : admittedAt;
  }

  /**
   * Reports that the call started at {@code start} (from {@link #callStart}) succeeded. When calls
   * are timed, the success counts from its end, and a call slower than the slow-call duration is a
   * {@code slow} failure; otherwise it counts from its start, and no clock is read.
   *
   * @return null for a success, {@link FailureCodes#SLOW} for a success counted as a slow failure
   */
  @Nullable String succeeded(long permit, long start) {
    long end = timed ? ticker.read() : start;
    return onSuccess(permit, end - start, end);
  }

  /**
   * Reports that the call failed in a way that counts, under {@code code}. A failure moves the
   * breaker, so it counts from a fresh reading of the clock; how long it took does not matter.
   *
   * @return the code as this breaker counts it: {@code code}, or {@code other} past the cap
   */
  String onFailure(long permit, String code) {
    return onFailure(permit, code, ticker.read());
  }

  /** Reports a success that took {@code durationNanos}, counted now. */
  void onSuccess(long permit, long durationNanos) {
    onSuccess(permit, durationNanos, ticker.read());
  }

  /** The one rule of a success: slow is a failure; a probe's success may close the breaker. */
  private @Nullable String onSuccess(long permit, long durationNanos, long now) {
    checkPermit(permit);
    if (durationNanos >= slowNanos) {
      // only a timed call can be slow, and then now is its end: already a fresh reading
      return onFailure(permit, FailureCodes.SLOW, now);
    }
    state.window.recordSuccess(now);
    if (kind(permit) == PROBE) {
      probeSucceeded(permit, ticker.read());
    }
    return null;
  }

  private void probeSucceeded(long permit, long now) {
    for (; ; ) {
      State s = state;
      if (!s.isProbeOf(permit)) {
        return;
      }
      int successes = s.probeSuccesses + 1;
      State next =
          successes >= config.probeCount() && now - s.since >= minDwellNanos
              ? s.moveTo(CircuitState.CLOSED, now, newWindow(now))
              : s.probes(s.probesInFlight - 1, successes, now);
      if (STATE.compareAndSet(this, s, next)) {
        announce(s, next);
        return;
      }
    }
  }

  private String onFailure(long permit, String code, long now) {
    checkPermit(permit);
    int index = codes.indexOf(code);
    state.window.recordFailure(now, index, config.weightUnits(code));
    for (; ; ) {
      State s = state;
      boolean opens =
          switch (s.kind) {
            case CLOSED ->
                !s.forced
                    && s.window.reached(now, thresholdUnits, ratePercent, config.minimumCalls());
            case HALF_OPEN -> kind(permit) == ALLOWLISTED || s.isProbeOf(permit);
            case OPEN -> false;
          };
      if (!opens) {
        return codes.code(index);
      }
      State next = s.moveTo(CircuitState.OPEN, now, s.window);
      if (STATE.compareAndSet(this, s, next)) {
        announce(s, next);
        return codes.code(index);
      }
    }
  }

  /** Gives a permit back without an outcome: the call was not made after all, or says nothing. */
  void releasePermission(long permit) {
    checkPermit(permit);
    for (; ; ) {
      State s = state;
      if (!s.isProbeOf(permit) || s.probesInFlight == 0) {
        return;
      }
      if (STATE.compareAndSet(
          this, s, s.probes(s.probesInFlight - 1, s.probeSuccesses, s.probeClock))) {
        return;
      }
    }
  }

  @Override
  public CircuitState state() {
    return current(ticker.read()).kind;
  }

  @Override
  public long retryAfterNanos() {
    long now = ticker.read();
    return retryAfterNanos(current(now), now);
  }

  /**
   * Returns the state at {@code now}, first making the move from OPEN to HALF_OPEN if the cooldown
   * has passed: what a reader sees must be true without traffic. The first probe then takes its
   * slot in HALF_OPEN as usual.
   */
  private State current(long now) {
    for (; ; ) {
      State s = state;
      if (s.kind != CircuitState.OPEN || !cooledDown(s, now)) {
        return s;
      }
      State next = s.moveTo(CircuitState.HALF_OPEN, now, s.window);
      if (STATE.compareAndSet(this, s, next)) {
        announce(s, next);
        return next;
      }
    }
  }

  /**
   * Whether an OPEN state may move to HALF_OPEN at {@code now}: not forced, cooldown and dwell
   * past.
   */
  private boolean cooledDown(State s, long now) {
    return !s.forced && now - s.since >= openNanos;
  }

  /** How long an OPEN state {@code s} still rejects, at {@code now}; a forced one, one cooldown. */
  private long retryAfterNanos(State s, long now) {
    if (s.kind != CircuitState.OPEN) {
      return 0;
    }
    return s.forced ? cooldownNanos : Math.max(0, s.since + openNanos - now);
  }

  @Override
  public CircuitBreakerSnapshot snapshot() {
    long now = ticker.read();
    State s = current(now);
    SlidingWindow.Totals totals = s.window.totals(now);
    return new CircuitBreakerSnapshot(
        name,
        s.kind,
        s.forced,
        Duration.ofNanos(Math.max(0, now - s.since)),
        totals.failureWeight(),
        totals.calls(),
        totals.failuresByCode(),
        Duration.ofNanos(retryAfterNanos(s, now)),
        s.kind == CircuitState.HALF_OPEN ? s.probesInFlight : 0);
  }

  @Override
  public void forceOpen() {
    force(CircuitState.OPEN, true, false);
  }

  @Override
  public void forceClose() {
    force(CircuitState.CLOSED, false, false);
  }

  @Override
  public void holdClosed() {
    force(CircuitState.CLOSED, true, false);
  }

  @Override
  public void reset() {
    force(CircuitState.CLOSED, false, true);
  }

  /**
   * Moves to {@code target}; {@code forced} holds it there (OPEN: no probes; CLOSED: failures do
   * not open it) until the next forced move.
   */
  private void force(CircuitState target, boolean forced, boolean clearWindow) {
    long now = ticker.read();
    for (; ; ) {
      State s = state;
      if (s.kind == target && s.forced == forced && !clearWindow) {
        return;
      }
      if (s.kind != target && !s.kind.canBeForcedTo(target)) {
        throw new IllegalStateException(s.kind + " -> " + target + " cannot be forced");
      }
      State next =
          new State(
              target,
              forced,
              s.kind == target ? s.since : now,
              s.generation + 1,
              clearWindow ? newWindow(now) : s.window,
              0,
              0,
              now);
      if (STATE.compareAndSet(this, s, next)) {
        announce(s, next);
        return;
      }
    }
  }

  @Override
  public synchronized void addListener(TransitionListener listener) {
    TransitionListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
    grown[listeners.length] = listener;
    listeners = grown;
  }

  @Override
  public String toString() {
    return "CircuitBreaker{" + name + ", " + state.kind + '}';
  }

  private void announce(State from, State to) {
    if (from.kind == to.kind) {
      return;
    }
    for (TransitionListener listener : listeners) {
      try {
        listener.onTransition(this, from.kind, to.kind);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            () ->
                "Transition listener failed on breaker '"
                    + name
                    + "' ("
                    + from.kind
                    + " -> "
                    + to.kind
                    + ")",
            e);
      }
    }
  }

  private SlidingWindow newWindow(long now) {
    return new SlidingWindow(now, windowNanos, codes);
  }

  private static int kind(long permit) {
    return (int) (permit & 3);
  }

  private static void checkPermit(long permit) {
    if (permit == NO_PERMIT) {
      throw new IllegalArgumentException("a rejected call has no permit to report on");
    }
  }

  /** The whole state of the breaker; replaced, never changed. */
  private static final class State {

    final CircuitState kind;
    final boolean forced;
    final long since;
    final long generation;
    final SlidingWindow window;
    final int probesInFlight;
    final int probeSuccesses;

    /** The last probe activity in HALF_OPEN; a probe in flight {@code cooldown} after it hung. */
    final long probeClock;

    State(
        CircuitState kind,
        boolean forced,
        long since,
        long generation,
        SlidingWindow window,
        int probesInFlight,
        int probeSuccesses,
        long probeClock) {
      this.kind = kind;
      this.forced = forced;
      this.since = since;
      this.generation = generation;
      this.window = window;
      this.probesInFlight = probesInFlight;
      this.probeSuccesses = probeSuccesses;
      this.probeClock = probeClock;
    }

    static State initial(long now, SlidingWindow window) {
      return new State(CircuitState.CLOSED, false, now, 0, window, 0, 0, now);
    }

    State moveTo(CircuitState next, long now, SlidingWindow nextWindow) {
      if (!kind.canTransitionTo(next)) {
        throw new IllegalStateException(kind + " -> " + next + " is not a transition");
      }
      return new State(next, false, now, generation + 1, nextWindow, 0, 0, now);
    }

    State probes(int inFlight, int successes, long clock) {
      return new State(kind, forced, since, generation, window, inFlight, successes, clock);
    }

    long permit(int permitKind) {
      return generation << 2 | permitKind;
    }

    boolean isProbeOf(long permit) {
      return kind == CircuitState.HALF_OPEN && kind(permit) == PROBE && generation == permit >>> 2;
    }
  }
}
