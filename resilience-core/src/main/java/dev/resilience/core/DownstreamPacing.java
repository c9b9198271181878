package dev.resilience.core;

/**
 * Reads from a failed call how long the downstream asked not to be called again: an HTTP 429 with
 * {@code Retry-After}, say. A {@link Guard} asks it about every failure that counts against the
 * downstream, and when it names a pause, holds the endpoint's bucket empty until the pause ends
 * ({@link RateLimiter#holdEmptyUntil}), so that no call of this instance reaches the downstream
 * before the time it asked for.
 *
 * <p>An endpoint with buckets per key is paused for all its keys: a downstream's limit is on the
 * caller, this instance, whichever key of ours a call was made for. Its pause is kept by the guard,
 * in this instance; an endpoint's one bucket keeps it in the bucket itself, which a shared store
 * (Redis) shares with every instance.
 */
@FunctionalInterface
public interface DownstreamPacing {

  /** What {@link #pauseNanos} returns when the failure asks for no pause. */
  long NONE = -1;

  /** The longest pause a guard holds, whatever the downstream asked for: one hour. */
  long MAX_PAUSE_NANOS = 3_600_000_000_000L;

  /**
   * Returns the nanoseconds from now during which the downstream asked not to be called, or {@link
   * #NONE} (or any negative number) when {@code error} asks for no pause. Pauses longer than {@link
   * #MAX_PAUSE_NANOS} are cut to it. Called on the thread that reports the failure; must be fast
   * and must not throw.
   *
   * @param error what the call threw, as thrown (wrappers not yet removed); it counted as a failure
   */
  long pauseNanos(Throwable error);

  /** Returns the pacing that never pauses. */
  static DownstreamPacing none() {
    return error -> NONE;
  }
}
