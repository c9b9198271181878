package dev.resilience.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Token buckets per key (API key, account, peer, address): each key has its own buckets, shaped by
 * the {@link Limits} its limiter names for it, and one key's calls never take another key's tokens.
 * All limits of a key must admit a call; a call that one of them rejects takes from none.
 *
 * <p>Memory stays bounded whatever the number of distinct keys: at most {@link #maxKeys()} keys
 * hold state. A key whose buckets are all full again holds no information and is dropped first, at
 * no loss. Only when every held key is still counting are keys evicted, those whose buckets would
 * be full again soonest first: they hold the least, while a busy client's buckets are far from
 * full, so a flood of one-off keys evicts its own kind before it can reset an active client. Such
 * evictions are counted ({@link #evictions()}).
 *
 * <p>Keys longer than {@value #MAX_KEY_LENGTH} characters are held as a digest of themselves, so
 * that long keys cannot grow memory either.
 */
public interface KeyedRateLimiter {

  /** What {@link #tryReserve} returns when no token can be had within the allowed wait. */
  long REJECTED = RateLimiter.REJECTED;

  /** Keys longer than this are held as a 44-character SHA-256 digest instead. */
  int MAX_KEY_LENGTH = 128;

  /**
   * Creates in-process buckets per key, each key held to the same limits.
   *
   * @param name the rule or endpoint name, 1 to 64 of {@code [A-Za-z0-9_.-]}
   * @param maxKeys the most keys that hold state at once; at least 1
   */
  static KeyedRateLimiter inMemory(String name, Limits limits, int maxKeys, Ticker ticker) {
    Objects.requireNonNull(limits, "limits");
    return new KeyedBuckets(
        Checks.name("name", name),
        key -> limits,
        Checks.atLeast("maxKeys", maxKeys, 1),
        Objects.requireNonNull(ticker, "ticker"));
  }

  /**
   * Creates in-process buckets per key, each key held to the limits {@code limitsOfKey} gives it
   * (tiers). A key whose limits change starts full under its new limits.
   *
   * @param limitsOfKey a pure function of the key, called on every call; it must never return null
   */
  static KeyedRateLimiter inMemory(
      String name, Function<String, Limits> limitsOfKey, int maxKeys, Ticker ticker) {
    return new KeyedBuckets(
        Checks.name("name", name),
        Objects.requireNonNull(limitsOfKey, "limitsOfKey"),
        Checks.atLeast("maxKeys", maxKeys, 1),
        Objects.requireNonNull(ticker, "ticker"));
  }

  /** Returns the rule or endpoint name. */
  String name();

  /** Returns the most keys that hold state at once. */
  int maxKeys();

  /** Returns the limits {@code key} is held to. */
  Limits limits(String key);

  /**
   * Takes one token from each of the key's buckets if all have one within {@code maxWaitNanos},
   * without blocking.
   *
   * @param nowNanos the time of the call, read from the limiter's ticker (calls whose times come
   *     from another clock cannot be ordered against each other)
   * @return the nanoseconds to wait before the call may proceed (0: at once), or {@link #REJECTED},
   *     in which case nothing was taken from any of the key's buckets
   */
  long tryReserve(String key, long maxWaitNanos, long nowNanos);

  /** {@link #tryReserve(String, long, long)} at the ticker's time now. */
  long tryReserve(String key, long maxWaitNanos);

  /** Takes a token from each of the key's buckets if all have one now. */
  default boolean tryAcquire(String key) {
    return tryReserve(key, 0) == 0;
  }

  /** Returns the tokens in the key's bucket for limit {@code limit} now, fractions included. */
  double availableTokens(String key, int limit);

  /** Returns the nanoseconds until the key's bucket for limit {@code limit} has a whole token. */
  long nanosUntilToken(String key, int limit);

  /** Returns the nanoseconds until every bucket of the key has a token: when to retry. */
  default long nanosUntilAdmitted(String key) {
    long longest = 0;
    for (int i = 0, n = limits(key).size(); i < n; i++) {
      longest = Math.max(longest, nanosUntilToken(key, i));
    }
    return longest;
  }

  /** Returns {@link #nanosUntilAdmitted} as a duration. */
  default Duration retryAfter(String key) {
    return Duration.ofNanos(nanosUntilAdmitted(key));
  }

  /** Returns whether the key holds state now (a key that holds none is full). */
  boolean isLive(String key);

  /**
   * Forgets the key: its buckets are full again. An operator's way to unblock one client.
   *
   * @return whether the key held state
   */
  boolean reset(String key);

  /**
   * From now on, holds every key the limiter gives {@code from} to {@code to} instead, and each
   * such key keeps its tokens (at most the new quota of each limit); keys the limiter gives other
   * limits (other tiers) are left as they are. {@code replaceLimits(from, from)} undoes a
   * replacement. No call sees part of a change: a key's buckets are read with the limits they were
   * counted for.
   *
   * @throws UnsupportedOperationException if the buckets live in a store shared with other
   *     instances, whose limits every instance must agree on: change those in configuration
   */
  default void replaceLimits(Limits from, Limits to) {
    throw new UnsupportedOperationException(
        "The limits of '"
            + name()
            + "' are shared with other instances through a store; change them in every"
            + " instance's configuration");
  }

  /** Returns how many keys hold state now. */
  int liveKeys();

  /** Returns how many keys were evicted while their buckets still counted, since creation. */
  long evictions();
}
