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
 *
 * <p><b>Changing the limits without a half change.</b> The settings and the {@code tat} they are
 * read with live together in one {@link Cell}, reached by one volatile read, so a call can never
 * combine a new rate with an old burst, or a {@code tat} with the settings it was not made for. A
 * change ({@link #changeLimits}) retires the cell by a compare-and-set of its {@code tat} to {@link
 * #RETIRED}, carries the tokens the cell held at that instant into a new cell, and publishes it.
 * Every take is a compare-and-set on its cell's {@code tat}, so a take either landed before the
 * retirement (and is carried over) or fails and is decided again on the new cell: none is lost and
 * none is counted twice. Calls that find the cell retired wait, as a lost race does, for the few
 * instructions until the new cell is published, parking as a lost race does, so that they never
 * hold a CPU from the changing thread.
 */
final class TokenBucket implements RateLimiter {

  /** The {@code tat} of a cell a change has replaced; no live {@code tat} is ever stored as it. */
  static final long RETIRED = Long.MIN_VALUE;

  private static final VarHandle TAT;

  static {
    try {
      TAT = MethodHandles.lookup().findVarHandle(Cell.class, "tat", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The settings in force and the state read with them; replaced whole by a change. */
  private static final class Cell {
    final RateLimiterConfig config;
    final long interval;
    final long tolerance;

    @SuppressWarnings("unused") // written through TAT
    volatile long tat;

    Cell(RateLimiterConfig config, long tat) {
      this.config = config;
      this.interval = config.intervalNanos();
      this.tolerance = Gcra.tolerance(interval, config.burst());
      this.tat = live(tat);
    }
  }

  private final String name;
  private final Ticker ticker;
  private volatile Cell cell;

  TokenBucket(String name, RateLimiterConfig config, Ticker ticker) {
    this(name, config, ticker, ticker.read()); // full: tat <= now means burst tokens
  }

  /** A bucket in the state {@code tat}: the shared GCRA table starts buckets anywhere. */
  TokenBucket(String name, RateLimiterConfig config, Ticker ticker, long tat) {
    this.name = name;
    this.ticker = ticker;
    this.cell = new Cell(config, tat);
  }

  /** The bucket's one number, for tests that compare it with the GCRA table. */
  long tat() {
    for (; ; ) {
      long tat = (long) TAT.getVolatile(cell);
      if (tat != RETIRED) {
        return tat;
      }
      LockSupport.parkNanos(1);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RateLimiterConfig config() {
    return cell.config;
  }

  @Override
  public long tryReserve(long maxWaitNanos) {
    return tryReserve(maxWaitNanos, ticker.read());
  }

  @Override
  public long tryReserve(long maxWaitNanos, long now) {
    for (; ; ) {
      Cell c = cell;
      long current = (long) TAT.getVolatile(c);
      if (current != RETIRED) {
        long wait = Gcra.waitNanos(current, now, c.tolerance);
        if (wait > maxWaitNanos) {
          return REJECTED;
        }
        if (TAT.compareAndSet(c, current, live(Gcra.next(current, now, c.interval)))) {
          return Math.max(0, wait);
        }
      }
      LockSupport.parkNanos(1);
      now = ticker.read(); // time passed while parked: decide at the time of the retry
    }
  }

  @Override
  public void holdEmptyUntil(long untilNanos) {
    for (; ; ) {
      Cell c = cell;
      // wait = tat - tolerance - now: this tat makes the first token due exactly at untilNanos
      long held = live(untilNanos + c.tolerance);
      long current = (long) TAT.getVolatile(c);
      if (current == RETIRED) {
        LockSupport.parkNanos(1); // a change is publishing the cell that replaces it
      } else if (current - held >= 0 || TAT.compareAndSet(c, current, held)) {
        return;
      }
    }
  }

  /**
   * Changes the rate and the burst at once; the tokens the bucket holds are kept, at most the new
   * burst, and tokens reserved ahead stay owed (a bucket in debt stays in debt, counted in tokens).
   * Changes are rare and serialised; takes are never blocked, only retried.
   */
  @Override
  public synchronized RateLimiterConfig changeLimits(double capacityPerSecond, int burst) {
    Cell old = cell;
    RateLimiterConfig next =
        new RateLimiterConfig(capacityPerSecond, burst, old.config.maxWait()); // validates
    long now = ticker.read();
    long tat;
    do {
      tat = (long) TAT.getVolatile(old);
    } while (!TAT.compareAndSet(old, tat, RETIRED));
    cell =
        new Cell(
            next,
            Gcra.carry(
                tat, now, old.interval, old.config.burst(), next.intervalNanos(), next.burst()));
    return old.config;
  }

  @Override
  public double availableTokens() {
    for (; ; ) {
      Cell c = cell;
      long tat = (long) TAT.getVolatile(c);
      if (tat != RETIRED) {
        return Gcra.availableTokens(tat, ticker.read(), c.interval, c.config.burst());
      }
      LockSupport.parkNanos(1);
    }
  }

  @Override
  public long nanosUntilToken() {
    for (; ; ) {
      Cell c = cell;
      long tat = (long) TAT.getVolatile(c);
      if (tat != RETIRED) {
        return Gcra.nanosUntilToken(tat, ticker.read(), c.tolerance);
      }
      LockSupport.parkNanos(1);
    }
  }

  /** Returns {@code tat}, or the nanosecond after it when it is the retired mark's value. */
  private static long live(long tat) {
    return tat == RETIRED ? RETIRED + 1 : tat;
  }

  @Override
  public String toString() {
    return "TokenBucket{" + name + ", " + cell.config + '}';
  }
}
