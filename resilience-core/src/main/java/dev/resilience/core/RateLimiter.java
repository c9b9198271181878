package dev.resilience.core;

import java.time.Duration;

/**
 * A token bucket: it starts full with {@code burst} tokens, refills continuously at {@code
 * capacityPerSecond} and never holds more than {@code burst}. Each admitted call takes one token.
 *
 * <p>Over any interval of length {@code t}, at most {@code burst + capacityPerSecond * t} calls are
 * admitted, whatever the number of threads.
 *
 * <p>A caller that finds the bucket empty may reserve a future token ({@link #tryReserve}) and wait
 * for it: reservations are handed out in order, so waiting callers are served first come, first
 * served, and no reservation is ever taken back.
 */
public interface RateLimiter {

  /** What {@link #tryReserve} returns when no token can be had within the allowed wait. */
  long REJECTED = -1;

  /**
   * Creates an in-process token bucket.
   *
   * @param name the endpoint name, 1 to 64 of {@code [A-Za-z0-9_.-]}
   */
  static RateLimiter tokenBucket(String name, RateLimiterConfig config, Ticker ticker) {
    return new TokenBucket(Checks.name("name", name), config, ticker);
  }

  /** Returns the endpoint name this bucket limits. */
  String name();

  /** Returns the bucket's settings in force: the latest {@link #changeLimits} applied, if any. */
  RateLimiterConfig config();

  /**
   * Changes the rate and the burst at once, while calls go on: no call sees one without the other.
   * The bucket keeps its state: the tokens it holds stay, at most the new burst, and tokens
   * reserved ahead stay owed. {@code maxWait} is unchanged. Over any interval that spans changes,
   * at most {@code burst + capacityPerSecond * t} calls are admitted with the largest burst and the
   * largest rate in force during it.
   *
   * @return the settings in force before the change
   * @throws InvalidConfigException if the values are not a valid {@link RateLimiterConfig}
   * @throws UnsupportedOperationException if the bucket lives in a store shared with other
   *     instances, whose limits every instance must agree on: change those in configuration
   */
  default RateLimiterConfig changeLimits(double capacityPerSecond, int burst) {
    throw new UnsupportedOperationException(
        "The limits of '"
            + name()
            + "' are shared with other instances through a store; change them in every"
            + " instance's configuration");
  }

  /** Takes a token if one is available now, without waiting. */
  default boolean tryAcquire() {
    return tryReserve(0) == 0;
  }

  /**
   * Takes the next token if it becomes available within {@code maxWaitNanos}, without blocking.
   *
   * @return the nanoseconds the caller must wait before it may proceed (0 when a token was
   *     available now), or {@link #REJECTED} if none comes in time, in which case nothing was taken
   */
  long tryReserve(long maxWaitNanos);

  /**
   * {@link #tryReserve(long)} at {@code nowNanos}, a reading of this limiter's ticker that the
   * caller already holds: a guarded call reads the clock once for its breaker and its bucket. A
   * limiter that keeps its time elsewhere (a shared store) may ignore it.
   */
  long tryReserve(long maxWaitNanos, long nowNanos);

  /**
   * Takes a token, waiting up to the configured {@link RateLimiterConfig#maxWait()} for it.
   *
   * @return whether a token was taken; false means the call must be rejected
   * @throws InterruptedException if interrupted while waiting; the reserved token stays spent, so
   *     an interruption never lets extra calls through
   */
  default boolean acquire() throws InterruptedException {
    long waitNanos = tryReserve(config().maxWait().toNanos());
    if (waitNanos == REJECTED) {
      return false;
    }
    Sleeper.SYSTEM.sleep(waitNanos);
    return true;
  }

  /**
   * Holds the bucket empty until {@code untilNanos}, a reading of this limiter's ticker: no token
   * is handed out before then, and exactly at {@code untilNanos} one is available again, from which
   * the bucket refills at its rate. Reservations already handed out stay valid, and a bucket that
   * is already empty for longer is left as it is: a pause never shortens the bucket's state. The
   * way a guard honours a downstream's {@code Retry-After} ({@link DownstreamPacing}).
   */
  void holdEmptyUntil(long untilNanos);

  /** Returns the tokens in the bucket now, between 0 and {@code burst}; fractions included. */
  double availableTokens();

  /** Returns the nanoseconds until a whole token is available; 0 when one is available now. */
  long nanosUntilToken();

  /** Returns {@link #nanosUntilToken()} as a duration: when a rejected caller should retry. */
  default Duration retryAfter() {
    return Duration.ofNanos(nanosUntilToken());
  }
}
