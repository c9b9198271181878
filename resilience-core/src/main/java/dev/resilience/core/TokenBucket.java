package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-process {@link RateLimiter}: one {@link Gcra} cell, a single {@code long} updated by
 * compare-and-set. Lock-free, allocation-free, and reservations are handed out in CAS order, so
 * waiting callers are served first come, first served. The interval is rounded up to the
 * nanosecond, which rounds the rate down, never up.
 *
 * <p>Contention: a thread whose compare-and-set lost to another parks for the shortest time the
 * system allows (tens of microseconds on Linux) before it tries again. When threads on different
 * cores hammer one bucket, retrying at once makes its cache line bounce between them on every call,
 * which measured two to three times slower per call than letting one thread run while the other
 * waits. Only a lost race waits: a rejection never does, and an uncontended call never parks. The
 * retry reads the clock again, so a call is decided at the time it is decided.
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
    this(name, config, ticker, ticker.read()); // full: tat <= now means burst tokens
  }

  /** A bucket in the state {@code tat}: the shared GCRA table starts buckets anywhere. */
  TokenBucket(String name, RateLimiterConfig config, Ticker ticker, long tat) {
    this.name = name;
    this.config = config;
    this.ticker = ticker;
    this.interval = config.intervalNanos();
    this.tat = tat;
  }

  /** The bucket's one number, for tests that compare it with the GCRA table. */
  long tat() {
    return (long) TAT.getVolatile(this);
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

  @Override
  public long tryReserve(long maxWaitNanos, long now) {
    long tolerance = tolerance();
    for (; ; ) {
      long current = (long) TAT.getVolatile(this);
      long wait = Gcra.waitNanos(current, now, tolerance);
      if (wait > maxWaitNanos) {
        return REJECTED;
      }
      if (TAT.compareAndSet(this, current, Gcra.next(current, now, interval))) {
        return Math.max(0, wait);
      }
      LockSupport.parkNanos(1);
      now = ticker.read(); // time passed while parked: decide at the time of the retry
    }
  }

  @Override
  public void holdEmptyUntil(long untilNanos) {
    // wait = tat - tolerance - now: this tat makes the first token due exactly at untilNanos
    long held = untilNanos + tolerance();
    for (; ; ) {
      long current = (long) TAT.getVolatile(this);
      if (current - held >= 0 || TAT.compareAndSet(this, current, held)) {
        return;
      }
    }
  }

  @Override
  public double availableTokens() {
    return Gcra.availableTokens(
        (long) TAT.getVolatile(this), ticker.read(), interval, config.burst());
  }

  @Override
  public long nanosUntilToken() {
    return Gcra.nanosUntilToken((long) TAT.getVolatile(this), ticker.read(), tolerance());
  }

  /** Computed rather than stored, to keep the bucket small. */
  private long tolerance() {
    return Gcra.tolerance(interval, config.burst());
  }

  @Override
  public String toString() {
    return "TokenBucket{" + name + ", " + config + '}';
  }
}
