package dev.resilience.core;

import java.util.Objects;

/**
 * A concurrency limit that follows the downstream: at most {@link #limit()} calls of an endpoint in
 * flight at once, a number that shrinks when the downstream says it is overloaded (a 429, a 5xx, a
 * timeout, or, with {@link AdaptiveLimitConfig.Algorithm#GRADIENT}, a rising round-trip time) and
 * grows back while it copes. It stands where a {@link Bulkhead}'s fixed {@code maxConcurrent}
 * would.
 *
 * <p>Use: a call takes a slot with {@link #tryAcquire()} and, if it got one, reports how it ended
 * exactly once, which also gives the slot back:
 *
 * <pre>{@code
 * if (!limit.tryAcquire()) { reject; }
 * long start = ticker.read();
 * try {
 *   T result = call();
 *   limit.onSuccess(ticker.read() - start);
 * } catch (Exception e) {
 *   String code = classifier.classify(e);
 *   if (code == null) limit.onIgnored(); else limit.onDropped(ticker.read() - start, code);
 * }
 * }</pre>
 *
 * <p>Guarantees, under any number of threads: the calls in flight never exceed the limit in force
 * when each was admitted, and never go below zero; a limit that shrinks revokes no slot already
 * held, it only admits no one until enough have ended. {@code tryAcquire} and the three reports are
 * lock-free and allocate nothing.
 */
public interface AdaptiveLimit {

  /**
   * Creates an adaptive limit.
   *
   * @param name the endpoint name, 1 to 64 of {@code [A-Za-z0-9_.-]}
   * @param ticker the clock that times {@link Change#atNanos()} and the drop rule
   */
  static AdaptiveLimit of(String name, AdaptiveLimitConfig config, Ticker ticker) {
    return new LockFreeAdaptiveLimit(
        Checks.name("name", name),
        Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(ticker, "ticker"));
  }

  /** Returns the endpoint name. */
  String name();

  /** Returns the settings. */
  AdaptiveLimitConfig config();

  /**
   * Takes a slot if fewer than {@link #limit()} calls are in flight; never waits.
   *
   * @return whether a slot was taken; each taken slot must be reported exactly once through {@link
   *     #onSuccess}, {@link #onDropped} or {@link #onIgnored}
   */
  boolean tryAcquire();

  /**
   * Takes a slot if, once it is taken, at least {@code keepFree} slots remain below {@link
   * #limit()}; never waits. A caller that shares the limit among partitions passes the slots it
   * keeps for the others, so that their guaranteed share stays free for them; {@code tryAcquire(0)}
   * is {@link #tryAcquire()}.
   *
   * @param keepFree the slots to leave free, at least 0
   * @return whether a slot was taken; reported as for {@link #tryAcquire()}
   * @throws IllegalArgumentException if {@code keepFree} is negative
   */
  boolean tryAcquire(int keepFree);

  /**
   * Gives back the slot of a call that succeeded, {@code rttNanos} after it was admitted. In AIMD a
   * success while at least half the limit was in use (this call included) grows the limit by one.
   *
   * @throws IllegalStateException if no slot is taken
   */
  void onSuccess(long rttNanos);

  /**
   * Gives back the slot of a call the downstream turned away or that timed out: a counted failure
   * ({@code 429}, a 5xx, {@code timeout}; see {@link FailureCodes}). Multiplies the limit by {@code
   * backoffRatio}, at most once per generation of calls: a drop of a call admitted before the last
   * decrease does not decrease again, since it tells of the older, larger limit already corrected.
   *
   * @param code the failure code, shown in {@link #lastChange()}
   * @throws IllegalStateException if no slot is taken
   */
  void onDropped(long rttNanos, String code);

  /**
   * Gives back the slot of a call whose outcome says nothing of the downstream's load (a 404, a
   * validation error, a cancelled call): the limit does not move.
   *
   * @throws IllegalStateException if no slot is taken
   */
  void onIgnored();

  /** Returns the limit in force now. */
  int limit();

  /** Returns the calls in flight now. */
  int inFlight();

  /**
   * Returns the short-term average round-trip time of recent successes in nanoseconds, 0 before the
   * first.
   */
  long shortRttNanos();

  /**
   * Returns the long-term average round-trip time of successes in nanoseconds, 0 before the first.
   */
  long longRttNanos();

  /**
   * Returns the latest move of the limit and why, or its initial value. Moves that race each other
   * are recorded one at a time: then it may describe the one just before the latest.
   */
  Change lastChange();

  /**
   * A move of the limit.
   *
   * @param oldLimit the limit before
   * @param newLimit the limit after
   * @param reason why, e.g. {@code "drop: 503"}, {@code "grew: in use 9 of 10"}, {@code "gradient
   *     0.62"}, {@code "initial"}
   * @param atNanos the ticker's reading when it moved
   */
  record Change(int oldLimit, int newLimit, String reason, long atNanos) {

    /** Checks the reason is there. */
    public Change {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
