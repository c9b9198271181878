package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;

/**
 * The {@link CircuitBreaker} behind {@link CircuitBreaker#of}.
 *
 * <p>All state lives in one immutable {@link State}, replaced by compare-and-set. Each update
 * computes the next state without side effects; the window is written and listeners are told only
 * by the thread whose compare-and-set won. The CLOSED success path reads the state, then adds one
 * to the current window slice: no lock, no allocation.
 *
 * <p>Permits encode the state generation they were granted in ({@code generation << 2 | kind}), so
 * a report that arrives after the breaker moved on cannot be mistaken for one of the current probes.
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

  /** Permit kinds; NONE marks a caller that gets no permit. */
  private static final int NONE = 0;
  private static final int NORMAL = 1;
  private static final int PROBE = 2;
  private static final int ALLOWLISTED = 3;
  private static final TransitionListener[] NO_LISTENERS = {};

  private final String name;
  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final FailureCodes codes = new FailureCodes();
  private final long windowNanos;
  private final long cooldownNanos;
  private final long minDwellNanos;
  private final long openNanos;
  private final long slowNanos;
  private final long thresholdUnits;
  private final double ratePercent;

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

  @Override
  public long tryAcquirePermission(boolean allowlisted) {
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
          if (s.forced || now - s.since < openNanos) {
            return REJECTED;
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
            return REJECTED;
          }
        }
        default -> throw new AssertionError(s.kind);
      }
      if (STATE.compareAndSet(this, s, next)) {
        if (kind == NONE) {
          next.window.recordFailure(now, TIMEOUT, config.weightUnits(TIMEOUT));
        }
        announce(s, next);
        return kind == NONE ? REJECTED : next.permit(kind);
      }
    }
  }

  @Override
  public void onSuccess(long permit, long durationNanos) {
    onSuccess(permit, durationNanos, ticker.read());
  }

  /**
   * {@link #onSuccess(long, long)} counted in the window at {@code now}, a reading the caller
   * already has (a guard passes the call's end when it times calls, its start otherwise). A probe's
   * success moves the state, so it reads the clock afresh for that.
   */
  void onSuccess(long permit, long durationNanos, long now) {
    checkPermit(permit);
    if (durationNanos >= slowNanos) {
      onFailure(permit, durationNanos, SLOW, ticker.read());
      return;
    }
    state.window.recordSuccess(now);
    if (kind(permit) == PROBE) {
      probeSucceeded(permit, ticker.read());
    }
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

  @Override
  public void onFailure(long permit, long durationNanos, String code) {
    onFailure(permit, durationNanos, code, ticker.read());
  }

  /** {@link #onFailure(long, long, String)} with the caller's clock reading. */
  void onFailure(long permit, long durationNanos, String code, long now) {
    checkPermit(permit);
    state.window.recordFailure(now, code, config.weightUnits(code));
    for (; ; ) {
      State s = state;
      boolean opens =
          switch (s.kind) {
            case CLOSED -> s.window.reached(now, thresholdUnits, ratePercent, config.minimumCalls());
            case HALF_OPEN -> kind(permit) == ALLOWLISTED || s.isProbeOf(permit);
            case OPEN -> false;
          };
      if (!opens) {
        return;
      }
      State next = s.moveTo(CircuitState.OPEN, now, s.window);
      if (STATE.compareAndSet(this, s, next)) {
        announce(s, next);
        return;
      }
    }
  }

  @Override
  public void releasePermission(long permit) {
    checkPermit(permit);
    for (; ; ) {
      State s = state;
      if (!s.isProbeOf(permit) || s.probesInFlight == 0) {
        return;
      }
      if (STATE.compareAndSet(this, s, s.probes(s.probesInFlight - 1, s.probeSuccesses, s.probeClock))) {
        return;
      }
    }
  }

  @Override
  public CircuitState state() {
    return state.kind;
  }

  @Override
  public long retryAfterNanos() {
    return retryAfterNanos(state, ticker.read());
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
    State s = state;
    long now = ticker.read();
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
    force(CircuitState.OPEN, false);
  }

  @Override
  public void forceClose() {
    force(CircuitState.CLOSED, false);
  }

  @Override
  public void reset() {
    force(CircuitState.CLOSED, true);
  }

  private void force(CircuitState target, boolean clearWindow) {
    boolean forced = target == CircuitState.OPEN;
    long now = ticker.read();
    for (; ; ) {
      State s = state;
      if (s.kind == target && s.forced == forced && !clearWindow) {
        return;
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
            () -> "Transition listener failed on breaker '" + name + "' (" + from.kind + " -> " + to.kind + ")",
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
    if (permit == REJECTED) {
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
