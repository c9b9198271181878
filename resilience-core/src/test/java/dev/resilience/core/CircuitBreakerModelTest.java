package dev.resilience.core;

import static dev.resilience.core.CircuitState.CLOSED;
import static dev.resilience.core.CircuitState.HALF_OPEN;
import static dev.resilience.core.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of time steps, permits, outcomes and operator commands over random configs, each
 * step compared with {@link ModelBreaker}: a plain, single-threaded reading of the Javadoc of
 * {@link CircuitBreaker}, {@link TimeWindowCircuitBreaker} and {@link SlidingWindow}. A failing
 * seed is printed in the test's name, and the message shows the config and the step: rerun the seed
 * alone.
 */
class CircuitBreakerModelTest {

  private static final int SEEDS = 300;
  private static final int STEPS = 300;
  private static final long MS = 1_000_000L;
  private static final String[] CODES = {"500", "503", "429", FailureCodes.TIMEOUT, "network"};

  static LongStream seeds() {
    return LongStream.range(0, SEEDS).map(i -> 0xCB_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void followsTheDocumentedStateMachineAndWindowCountsAfterEveryOperation(long seed) {
    Run run = new Run(seed);

    for (int step = 0; step < STEPS; step++) {
      String op = run.step();
      run.check(step, op);
    }
  }

  /** Guards the generator: the sequences above must reach every rule they claim to test. */
  @Test
  void randomSequencesReachEveryTransitionTheHungProbeRuleAndTheFailureRate() {
    Set<String> reached = new TreeSet<>();
    seeds()
        .forEach(
            seed -> {
              Run run = new Run(seed);
              for (int step = 0; step < STEPS; step++) {
                CircuitState before = run.model.state;
                String op = run.step();
                CircuitState after = run.model.state;
                if (before == after) {
                  continue;
                }
                String cause = op.startsWith("force") || op.startsWith("reset") ? "forced" : "own";
                reached.add(before + "->" + after + " " + cause);
                if (before == HALF_OPEN && after == OPEN && op.startsWith("acquire")) {
                  reached.add("hung probes reopen");
                }
                ModelWindow.Totals totals = run.model.window.totals(run.elapsed);
                if (before == CLOSED
                    && after == OPEN
                    && cause.equals("own")
                    && totals.weightUnits() < run.settings.failThreshold() * 1000L) {
                  reached.add("failure rate opens");
                }
                if (before == HALF_OPEN && after == CLOSED && op.startsWith("acquire")) {
                  reached.add("closes on the call after min-dwell");
                }
              }
            });

    assertThat(reached)
        .contains(
            "CLOSED->OPEN own",
            "OPEN->HALF_OPEN own",
            "HALF_OPEN->CLOSED own",
            "HALF_OPEN->OPEN own",
            "CLOSED->OPEN forced",
            "OPEN->CLOSED forced",
            "HALF_OPEN->CLOSED forced",
            "HALF_OPEN->OPEN forced",
            "hung probes reopen",
            "failure rate opens",
            "closes on the call after min-dwell");
  }

  // ---------------------------------------------------------------------------------------------
  // The reference model
  // ---------------------------------------------------------------------------------------------

  /** What a test config says, in nanoseconds; null-free. */
  record Settings(
      long windowNanos,
      int failThreshold,
      long cooldownNanos,
      long minDwellNanos,
      int probeCount,
      int failureRatePercent, // 0: unused
      int minimumCalls,
      long slowNanos, // Long.MAX_VALUE: unused
      Map<String, Double> weights) {

    /** Weights are summed in whole thousandths, at least one (CircuitBreakerConfig). */
    long weightUnits(String code) {
      return Math.max(1, Math.round(weights.getOrDefault(code, 1.0) * 1000));
    }

    CircuitBreakerConfig toConfig() {
      CircuitBreakerConfig.Builder builder =
          CircuitBreakerConfig.builder()
              .window(Duration.ofNanos(windowNanos))
              .failThreshold(failThreshold)
              .cooldown(Duration.ofNanos(cooldownNanos))
              .minDwell(Duration.ofNanos(minDwellNanos))
              .probeCount(probeCount)
              .failureRateThreshold(failureRatePercent == 0 ? null : (double) failureRatePercent)
              .minimumCalls(minimumCalls)
              .slowCallDuration(slowNanos == Long.MAX_VALUE ? null : Duration.ofNanos(slowNanos));
      weights.forEach(builder::weight);
      return builder.build();
    }
  }

  /** A permit as the model sees it: the kind and the state generation it was granted in. */
  enum Kind {
    NORMAL,
    PROBE,
    ALLOWLISTED
  }

  record ModelPermit(Kind kind, long generation) {}

  record Transition(CircuitState from, CircuitState to) {}

  /**
   * The sliding window: {@link SlidingWindow#SLICES} slices of {@code window / SLICES}, aligned on
   * the window's creation time; a total covers the current slice and the 19 before it. Keeps every
   * event and filters on read.
   */
  static final class ModelWindow {

    record Event(long time, @Nullable String failureCode, long weightUnits) {}

    record Totals(long calls, long failures, long weightUnits, Map<String, Long> failureCodes) {}

    private final long origin;
    private final long sliceNanos;
    private final List<Event> events = new ArrayList<>();

    ModelWindow(long origin, long windowNanos) {
      this.origin = origin;
      this.sliceNanos = Math.max(1, windowNanos / SlidingWindow.SLICES);
    }

    private long slice(long time) {
      return Math.floorDiv(time - origin, sliceNanos);
    }

    void recordSuccess(long now) {
      events.add(new Event(now, null, 0));
    }

    void recordFailure(long now, String code, long weightUnits) {
      events.add(new Event(now, code, weightUnits));
    }

    /** The events of the current slice and the 19 before it. */
    Totals totals(long now) {
      long current = slice(now);
      long calls = 0;
      long failures = 0;
      long weightUnits = 0;
      Map<String, Long> failureCodes = new TreeMap<>();
      for (Event e : events) {
        long s = slice(e.time());
        if (s >= 0 && s <= current && s > current - SlidingWindow.SLICES) {
          calls++;
          if (e.failureCode() != null) {
            failures++;
            weightUnits += e.weightUnits();
            failureCodes.merge(e.failureCode(), 1L, Long::sum);
          }
        }
      }
      // time only moves forward: what has left the window never comes back
      events.removeIf(e -> slice(e.time()) <= current - SlidingWindow.SLICES);
      return new Totals(calls, failures, weightUnits, failureCodes);
    }
  }

  /**
   * The breaker, as its Javadoc tells it. Times are nanoseconds since the breaker was created.
   *
   * <ul>
   *   <li>CLOSED to OPEN when, after a failure, the window's weighted failures reach {@code
   *       failThreshold}, or the unweighted failure rate reaches the threshold over at least {@code
   *       minimumCalls} calls.
   *   <li>OPEN to HALF_OPEN on a (non-allowlisted) call once {@code max(cooldown, minDwell)} has
   *       passed since it opened; that call is the first probe. Never while forced open.
   *   <li>HALF_OPEN: at most {@code probeCount} probes in flight. {@code probeCount} probe
   *       successes close it once {@code minDwell} has passed in HALF_OPEN (on the success, or on
   *       the next call if the dwell was not over yet); closing starts a fresh window. A failed
   *       probe, or any allowlisted failure, reopens it. With every slot taken, a call {@code
   *       cooldown} after the last probe activity (a probe granted or succeeding) finds the probes
   *       hung: it records a {@code timeout} failure, reopens the breaker and is rejected.
   *   <li>Allowlisted calls always pass, take no probe slot and move no state by asking.
   *   <li>Every outcome lands in the current window, whatever state granted the permit; only a
   *       probe of the current HALF_OPEN (same generation) counts as a probe.
   *   <li>forceOpen: OPEN, forced, no probes. forceClose: CLOSED, window kept. reset: CLOSED, fresh
   *       window. Each starts a new generation; a move to the same kind keeps the time in state.
   * </ul>
   */
  static final class ModelBreaker {

    final Settings settings;
    final List<Transition> transitions = new ArrayList<>();
    CircuitState state = CLOSED;
    boolean forced;
    long since;
    long generation;
    ModelWindow window;
    int probesInFlight;
    int probeSuccesses;
    long lastProbeActivity;

    ModelBreaker(Settings settings) {
      this.settings = settings;
      this.window = new ModelWindow(0, settings.windowNanos());
    }

    long openNanos() {
      return Math.max(settings.cooldownNanos(), settings.minDwellNanos());
    }

    /**
     * A read at {@code now}: an OPEN breaker whose cooldown has passed shows HALF_OPEN, no probe
     * yet.
     */
    void observe(long now) {
      if (state == OPEN && !forced && now - since >= openNanos()) {
        moveTo(HALF_OPEN, now);
        probesInFlight = 0;
        lastProbeActivity = now;
      }
    }

    /** Returns the permit, or null for a rejected call. */
    @Nullable ModelPermit acquire(boolean allowlisted, long now) {
      if (allowlisted) {
        return new ModelPermit(Kind.ALLOWLISTED, generation);
      }
      switch (state) {
        case CLOSED:
          return new ModelPermit(Kind.NORMAL, generation);
        case OPEN:
          if (forced || now - since < openNanos()) {
            return null;
          }
          moveTo(HALF_OPEN, now);
          probesInFlight = 1;
          lastProbeActivity = now;
          return new ModelPermit(Kind.PROBE, generation);
        case HALF_OPEN:
          if (probeSuccesses >= settings.probeCount() && now - since >= settings.minDwellNanos()) {
            moveTo(CLOSED, now);
            window = new ModelWindow(now, settings.windowNanos());
            return new ModelPermit(Kind.NORMAL, generation);
          }
          if (probesInFlight < settings.probeCount()) {
            probesInFlight++;
            lastProbeActivity = now;
            return new ModelPermit(Kind.PROBE, generation);
          }
          if (now - lastProbeActivity >= settings.cooldownNanos()) {
            window.recordFailure(
                now, FailureCodes.TIMEOUT, settings.weightUnits(FailureCodes.TIMEOUT));
            moveTo(OPEN, now);
          }
          return null;
        default:
          throw new AssertionError(state);
      }
    }

    void success(ModelPermit permit, long now, long durationNanos) {
      if (durationNanos >= settings.slowNanos()) {
        failure(permit, now, FailureCodes.SLOW);
        return;
      }
      window.recordSuccess(now);
      if (isCurrentProbe(permit)) {
        probeSuccesses++;
        lastProbeActivity = now;
        if (probeSuccesses >= settings.probeCount() && now - since >= settings.minDwellNanos()) {
          moveTo(CLOSED, now);
          window = new ModelWindow(now, settings.windowNanos());
        } else {
          probesInFlight--;
        }
      }
    }

    void failure(ModelPermit permit, long now, String code) {
      window.recordFailure(now, code, settings.weightUnits(code));
      boolean opens =
          switch (state) {
            case CLOSED -> thresholdReached(now);
            case HALF_OPEN -> permit.kind() == Kind.ALLOWLISTED || isCurrentProbe(permit);
            case OPEN -> false;
          };
      if (opens) {
        moveTo(OPEN, now);
      }
    }

    void release(ModelPermit permit) {
      if (isCurrentProbe(permit) && probesInFlight > 0) {
        probesInFlight--;
      }
    }

    void forceOpen(long now) {
      if (state != OPEN || !forced) {
        force(OPEN, true, now);
      }
    }

    void forceClose(long now) {
      if (state != CLOSED) {
        force(CLOSED, false, now);
      }
    }

    void reset(long now) {
      force(CLOSED, false, now);
      window = new ModelWindow(now, settings.windowNanos());
    }

    long retryAfterNanos(long now) {
      if (state != OPEN) {
        return 0;
      }
      return forced ? settings.cooldownNanos() : Math.max(0, since + openNanos() - now);
    }

    private boolean thresholdReached(long now) {
      ModelWindow.Totals totals = window.totals(now);
      if (totals.weightUnits() >= settings.failThreshold() * 1000L) {
        return true;
      }
      return settings.failureRatePercent() > 0
          && totals.calls() >= settings.minimumCalls()
          && totals.failures() * 100 >= settings.failureRatePercent() * totals.calls();
    }

    private boolean isCurrentProbe(ModelPermit permit) {
      return state == HALF_OPEN && permit.kind() == Kind.PROBE && permit.generation() == generation;
    }

    private void moveTo(CircuitState to, long now) {
      assertThat(state.canTransitionTo(to)).as("model: %s -> %s", state, to).isTrue();
      force(to, false, now);
    }

    private void force(CircuitState to, boolean forcedOpen, long now) {
      if (to != state) {
        transitions.add(new Transition(state, to));
        since = now;
      }
      state = to;
      forced = forcedOpen;
      generation++;
      probesInFlight = 0;
      probeSuccesses = 0;
      lastProbeActivity = now;
    }
  }

  /** Everything compared after each operation, side by side in a failure message. */
  record View(
      CircuitState state,
      CircuitState snapshotState,
      boolean forced,
      long callsInWindow,
      double failuresInWindow,
      Map<String, Long> failureCodes,
      int probesInFlight,
      Duration timeInState,
      Duration retryAfter,
      long retryAfterNanos) {

    static View of(TimeWindowCircuitBreaker breaker) {
      CircuitBreakerSnapshot snapshot = breaker.snapshot();
      return new View(
          breaker.state(),
          snapshot.state(),
          snapshot.forced(),
          snapshot.callsInWindow(),
          snapshot.failuresInWindow(),
          snapshot.failureCodes(),
          snapshot.probesInFlight(),
          snapshot.timeInState(),
          snapshot.retryAfter(),
          breaker.retryAfterNanos());
    }

    static View of(ModelBreaker model, long now) {
      model.observe(now);
      ModelWindow.Totals totals = model.window.totals(now);
      long retryAfter = model.retryAfterNanos(now);
      return new View(
          model.state,
          model.state,
          model.forced,
          totals.calls(),
          totals.weightUnits() / 1000.0,
          totals.failureCodes(),
          model.state == HALF_OPEN ? model.probesInFlight : 0,
          Duration.ofNanos(now - model.since),
          Duration.ofNanos(retryAfter),
          retryAfter);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One seeded run: random config, random operations, the breaker and the model side by side
  // ---------------------------------------------------------------------------------------------

  private static final class Run {

    private record Outstanding(long permit, ModelPermit model) {}

    final long seed;
    final Random random;
    final Settings settings;
    final long start;
    final FakeTicker ticker;
    final TimeWindowCircuitBreaker breaker;
    final ModelBreaker model;
    final List<Transition> heard = new ArrayList<>();
    final List<Outstanding> outstanding = new ArrayList<>();

    /** How often a reported call fails: a healthy, a flaky or a failing downstream. */
    final double failureOdds;

    long elapsed;

    Run(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.settings = randomSettings(random);
      this.start =
          random.nextInt(8) == 0
              ? Long.MAX_VALUE - random.nextLong(10_000 * MS) // the clock wraps during the run
              : random.nextLong();
      this.ticker = new FakeTicker(start);
      this.breaker = new TimeWindowCircuitBreaker("model", settings.toConfig(), ticker);
      this.model = new ModelBreaker(settings);
      this.failureOdds = new double[] {0.1, 0.3, 0.6}[random.nextInt(3)];
      breaker.addListener(
          (b, from, to) -> {
            assertThat(b).isSameAs(breaker);
            heard.add(new Transition(from, to));
          });
    }

    private static Settings randomSettings(Random random) {
      long window = pick(random, 20 * MS, 999_999_999L, 1_000 * MS, 1_000_000_007L, 3_000 * MS);
      long cooldown = pick(random, 50 * MS, 500 * MS, 1_000 * MS, 3_000 * MS);
      long minDwell =
          switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> cooldown / 2;
            case 2 -> cooldown;
            case 3 -> cooldown * 3; // longer than the cooldown
            default -> 1 + random.nextLong(cooldown * 2);
          };
      boolean rate = random.nextBoolean();
      Map<String, Double> weights = new TreeMap<>();
      for (String code : new String[] {"503", FailureCodes.TIMEOUT, FailureCodes.SLOW, "429"}) {
        if (random.nextInt(3) == 0) {
          weights.put(code, (double) pick(random, 250, 500, 1_500, 2_000, 3_000) / 1000);
        }
      }
      return new Settings(
          window,
          1 + random.nextInt(5),
          cooldown,
          minDwell,
          1 + random.nextInt(3),
          rate ? (int) pick(random, 25, 50, 60, 100) : 0,
          1 + random.nextInt(6),
          random.nextBoolean() ? 100 * MS : Long.MAX_VALUE,
          weights);
    }

    private static long pick(Random random, long... choices) {
      return choices[random.nextInt(choices.length)];
    }

    /** Plays one random operation on both, and says what it was. */
    String step() {
      int op = random.nextInt(100);
      if (op < 25) {
        long nanos = nextAdvance();
        ticker.advanceNanos(nanos);
        elapsed += nanos;
        return "advance " + nanos;
      } else if (op < 55 || (op < 98 && outstanding.isEmpty())) {
        return acquire(random.nextInt(6) == 0);
      } else if (op < 98) {
        return report(outstanding.remove(random.nextInt(outstanding.size())));
      } else {
        return force();
      }
    }

    private String acquire(boolean allowlisted) {
      long permit = breaker.tryAcquirePermission(allowlisted);
      ModelPermit expected = model.acquire(allowlisted, elapsed);
      String what = "acquire" + (allowlisted ? "(allowlisted)" : "") + " -> " + expected;
      assertThat(permit == TimeWindowCircuitBreaker.NO_PERMIT)
          .as("%s: %s, rejected?", this, what)
          .isEqualTo(expected == null);
      if (expected != null) {
        outstanding.add(new Outstanding(permit, expected));
      }
      return what;
    }

    private String report(Outstanding o) {
      double outcome = random.nextDouble();
      if (outcome < failureOdds) {
        String code = CODES[random.nextInt(CODES.length)];
        breaker.onFailure(o.permit(), code);
        model.failure(o.model(), elapsed, code);
        return "failure(" + o.model() + ", " + code + ")";
      }
      outcome = random.nextDouble();
      if (outcome < 0.70) {
        long duration = random.nextInt(50) * MS;
        breaker.onSuccess(o.permit(), duration);
        model.success(o.model(), elapsed, duration);
        return "success(" + o.model() + ", " + duration + " ns)";
      } else if (outcome < 0.80) {
        // the slow-call duration, when set, is 100 ms: exactly at it, or past it
        long duration = random.nextBoolean() ? 100 * MS : 100 * MS + random.nextInt(1000) * MS;
        breaker.onSuccess(o.permit(), duration);
        model.success(o.model(), elapsed, duration);
        return "slow success(" + o.model() + ", " + duration + " ns)";
      } else if (outcome < 0.95) {
        breaker.releasePermission(o.permit());
        model.release(o.model());
        return "release(" + o.model() + ")";
      } else {
        return "abandon(" + o.model() + ")"; // never reported: a hung call
      }
    }

    private String force() {
      switch (random.nextInt(3)) {
        case 0 -> {
          breaker.forceOpen();
          model.forceOpen(elapsed);
          return "forceOpen";
        }
        case 1 -> {
          breaker.forceClose();
          model.forceClose(elapsed);
          return "forceClose";
        }
        default -> {
          breaker.reset();
          model.reset(elapsed);
          return "reset";
        }
      }
    }

    private long nextAdvance() {
      int kind = random.nextInt(100);
      long slice = Math.max(1, settings.windowNanos() / SlidingWindow.SLICES);
      if (kind < 40) {
        return random.nextLong(slice + 1);
      } else if (kind < 60) {
        return random.nextLong(settings.cooldownNanos() + 1);
      } else if (kind < 85) {
        // exactly at, or one nanosecond before, the next moment the model says something changes
        long due = nextDeadline() - elapsed;
        return Math.max(0, due - (random.nextBoolean() ? 0 : 1));
      } else if (kind < 95) {
        return random.nextLong(settings.windowNanos() + 1);
      } else {
        return 2 * settings.windowNanos() + random.nextLong(openNanos() * 2);
      }
    }

    private long openNanos() {
      return Math.max(settings.cooldownNanos(), settings.minDwellNanos());
    }

    /** The soonest of: cooldown over, min-dwell over, probes hung, next slice (oldest one out). */
    private long nextDeadline() {
      List<Long> deadlines = new ArrayList<>();
      if (model.state == OPEN) {
        deadlines.add(model.since + openNanos());
      }
      if (model.state == HALF_OPEN) {
        deadlines.add(model.since + settings.minDwellNanos());
        deadlines.add(model.lastProbeActivity + settings.cooldownNanos());
      }
      long slice = model.window.sliceNanos;
      long origin = model.window.origin;
      deadlines.add(origin + (Math.floorDiv(elapsed - origin, slice) + 1) * slice);
      return deadlines.stream()
          .mapToLong(Long::longValue)
          .filter(d -> d > elapsed)
          .min()
          .orElse(elapsed + slice);
    }

    /** Compares what the breaker shows with what the model expects, after one operation. */
    void check(int step, String op) {
      assertThat(View.of(breaker))
          .as("%s, step %d, after %s", this, step, op)
          .isEqualTo(View.of(model, elapsed));
      if (breaker.state() == HALF_OPEN) {
        assertThat(breaker.snapshot().probesInFlight())
            .as("%s, step %d, after %s: at most probeCount probes in flight", this, step, op)
            .isBetween(0, settings.probeCount());
      }
      assertThat(heard)
          .as("%s, step %d, after %s: one event per state change, in order", this, step, op)
          .isEqualTo(model.transitions);
    }

    @Override
    public String toString() {
      return "seed "
          + seed
          + " "
          + settings
          + ", failure odds "
          + failureOdds
          + ", ticker from "
          + start
          + ", at +"
          + elapsed
          + " ns";
    }
  }
}
