package dev.resilience.spring.redis;

import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.Ticker;
import dev.resilience.spring.redis.GcraScript.Answer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An endpoint's bucket in Redis, shared by every instance: one script call per decision, or, with a
 * lease of {@code n}, one per up to {@code n} decisions (the tokens taken ahead are spent here).
 * While Redis does not answer, the backend's {@code on-failure} decides.
 *
 * <p>At most one lease is taken at a time, so an instance never holds more than {@code n - 1}
 * tokens it has not spent: over any window, all instances together admit at most {@code instances *
 * (n - 1)} calls more than the bucket's bound.
 */
final class RedisRateLimiter implements RateLimiter {

  private static final String KEY = "";

  private final String name;
  private final RateLimiterConfig config;
  private final RedisRateLimitBackend backend;
  private final ScriptLimits limits;
  private final byte[][] keys;
  private final RateLimiter local;
  private final Ticker ticker;
  private final int lease;
  private final AtomicInteger leased = new AtomicInteger();
  private final AtomicBoolean leasing = new AtomicBoolean();
  private final ThreadLocal<Answer> answers = ThreadLocal.withInitial(Answer::new);

  RedisRateLimiter(
      String name, RateLimiterConfig config, RedisRateLimitBackend backend, Ticker ticker) {
    this.name = name;
    this.config = config;
    this.backend = backend;
    this.limits = new ScriptLimits(Limits.of(Limit.of(config)));
    this.keys = limits.keys(name);
    this.local = RateLimiter.tokenBucket(name, config, ticker);
    this.ticker = ticker;
    this.lease = backend.lease();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RateLimiterConfig config() {
    return config;
  }

  @Override
  public long tryReserve(long maxWaitNanos) {
    return tryReserve(maxWaitNanos, 0);
  }

  @Override
  public long tryReserve(long maxWaitNanos, long nowNanos) {
    if (lease > 1 && spendLeased()) {
      return 0;
    }
    int wanted = lease > 1 && leasing.compareAndSet(false, true) ? lease : 1;
    Answer answer = answers.get();
    boolean answered;
    try {
      answered = backend.run(keys, limits.args(maxWaitNanos, wanted), answer);
      if (answered && answer.admitted() && answer.count > 1) {
        leased.addAndGet((int) answer.count - 1);
      }
    } finally {
      if (wanted > 1) {
        leasing.set(false);
      }
    }
    if (!answered) {
      answer.key = null;
      return backend.reserveWithout(() -> local.tryReserve(maxWaitNanos));
    }
    answer.key = KEY;
    return answer.admitted() ? 1000 * answer.waitMicros : REJECTED;
  }

  /**
   * Holds the shared bucket empty, for every instance, in the same one round trip a decision takes;
   * the pause is sent as a duration, since Redis keeps its own clock. The tokens this instance took
   * ahead are dropped (they are spent), and the local bucket that stands in while Redis fails is
   * held too. When Redis fails, only this instance's local bucket holds the pause.
   */
  @Override
  public void holdEmptyUntil(long untilNanos) {
    local.holdEmptyUntil(untilNanos);
    leased.set(0);
    long pauseMicros = (untilNanos - ticker.read() + 999) / 1000; // rounded up: never shorter
    if (pauseMicros <= 0) {
      return;
    }
    Answer answer = answers.get();
    answer.key = backend.run(keys, limits.holdArgs(pauseMicros), answer) ? KEY : null;
  }

  private boolean spendLeased() {
    for (int left = leased.get(); left > 0; left = leased.get()) {
      if (leased.compareAndSet(left, left - 1)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public double availableTokens() {
    Answer answer = read();
    if (answer == null) {
      return backend.tokensWithout(local::availableTokens, config.burst());
    }
    return limits.availableTokens(answer, 0, answer.nowMicros(System.nanoTime()));
  }

  @Override
  public long nanosUntilToken() {
    Answer answer = read();
    if (answer == null) {
      return backend.waitWithout(local::nanosUntilToken);
    }
    return limits.nanosUntilToken(answer, 0, answer.nowMicros(System.nanoTime()));
  }

  /** This thread's answer if it just decided a call, else a fresh read; null if Redis failed. */
  private Answer read() {
    Answer answer = answers.get();
    if (answer.isFresh(KEY, System.nanoTime())) {
      return answer;
    }
    if (!backend.run(keys, limits.args(0, 0), answer)) {
      answer.key = null;
      return null;
    }
    answer.key = KEY;
    return answer;
  }

  /** Returns the tokens this instance has taken ahead and not spent yet. */
  int leased() {
    return leased.get();
  }

  @Override
  public String toString() {
    return "RedisRateLimiter{" + name + ", " + config + '}';
  }
}
