package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket kept as one number: the generic cell rate algorithm (GCRA).
 *
 * <p>Instead of a token count and a refill timestamp, the bucket keeps the "theoretical arrival
 * time" {@code tat}: the instant at which the bucket would be full again if no call came. With
 * {@code T} the interval between two tokens and {@code tolerance = (burst - 1) * T}, a call at
 * {@code now} is admitted when {@code tat - tolerance <= now}, and takes its token by moving {@code
 * tat} to {@code max(tat, now) + T}. A call that must wait until {@code tat - tolerance} may reserve
 * that token the same way; successive reservations are spaced {@code T} apart, in CAS order.
 *
 * <p>Every update is one compare-and-set on a single {@code long}: lock-free, allocation-free, and
 * admission can never exceed {@code burst + t / T} over any interval {@code t}, because each
 * admission advances {@code tat} by {@code T} and an admission needs {@code tat <= now + tolerance}.
 * {@code T} is rounded up to the nanosecond, which rounds the rate down, never up.
 *
 * <p>Contention: a thread whose compare-and-set lost to another parks for the shortest time the
 * system allows (tens of microseconds on Linux) before it tries again. When threads on different
 * cores hammer one bucket, retrying at once makes its cache line bounce between them on every
 * call, which measured two to three times slower per call than letting one thread run while the
 * other waits. Only a lost race waits: a rejection never does, and an uncontended call never
 * parks. The retry reads the clock again, so a call is decided at the time it is decided.
 */
final class TokenBucket implements RateLimiter {

  private static final VarHandle TAT;

  static {
    try {
      TAT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "tat", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final RateLimiterConfig config;
  private final Ticker ticker;
  private final long interval;

  @SuppressWarnings("unused") // written through TAT
  private volatile long tat;

  TokenBucket(String name, RateLimiterConfig config, Ticker ticker) {
    this.name = name;
    this.config = config;
    this.ticker = ticker;
    this.interval = config.intervalNanos();
    this.tat = ticker.read(); // full: tat <= now means burst tokens
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
    return tryReserve(maxWaitNanos, ticker.read());
  }

  /** {@link #tryReserve(long)} at the caller's clock reading, to save reading it twice. */
  long tryReserve(long maxWaitNanos, long now) {
    long tolerance = tolerance();
    for (; ; ) {
      long current = (long) TAT.getVolatile(this);
      long start = current - now > 0 ? current : now;
      long wait = start - tolerance - now;
      if (wait > maxWaitNanos) {
        return REJECTED;
      }
      if (TAT.compareAndSet(this, current, start + interval)) {
        return Math.max(0, wait);
      }
      LockSupport.parkNanos(1);
      now = ticker.read(); // time passed while parked: decide at the time of the retry
    }
  }

  @Override
  public double availableTokens() {
    long elapsedBeyondFull = ticker.read() - (long) TAT.getVolatile(this);
    // tokens = (now - (tat - burst * T)) / T, capped to [0, burst]
    double tokens = config.burst() + (double) elapsedBeyondFull / interval;
    return Math.max(0, Math.min(config.burst(), tokens));
  }

  @Override
  public long nanosUntilToken() {
    long now = ticker.read();
    return Math.max(0, (long) TAT.getVolatile(this) - tolerance() - now);
  }

  /** How far ahead of now {@code tat} may run: burst - 1 intervals. Computed, to keep the bucket small. */
  private long tolerance() {
    return (config.burst() - 1) * interval;
  }

  @Override
  public String toString() {
    return "TokenBucket{" + name + ", " + config + '}';
  }
}
