package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One call reserved by {@link Guard#reserve(String)}: it holds the breaker's permit and a token
 * that becomes available after {@link #waitNanos()}. Its holder waits that long without blocking a
 * thread, then ends the reservation exactly once: {@link #admit()} to make the call, or {@link
 * #cancel()} when the call will not be made (its subscriber went away during the wait). A second
 * end throws {@link IllegalStateException}, so a permit can never be given back twice.
 */
public final class Reservation {

  private static final VarHandle ENDED;

  static {
    try {
      ENDED = MethodHandles.lookup().findVarHandle(Reservation.class, "ended", String.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Guard guard;
  private final long permit;
  private final long reservedAt;
  private final long waitNanos;

  @SuppressWarnings("unused") // written through ENDED
  private volatile @Nullable String ended;

  Reservation(Guard guard, long permit, long reservedAt, long waitNanos) {
    this.guard = guard;
    this.permit = permit;
    this.reservedAt = reservedAt;
    this.waitNanos = waitNanos;
  }

  /** Returns how long to wait before {@link #admit()}: 0 when the token is available now. */
  public long waitNanos() {
    return waitNanos;
  }

  /**
   * Admits the call once the wait is over: takes a bulkhead slot, if the endpoint has a bulkhead,
   * without waiting for one (a waiting caller would block its thread), and starts the call's clock.
   *
   * @return the admitted call, whose outcome must be reported exactly once
   * @throws BulkheadFullException if no slot is free; the permit goes back, the token stays spent
   */
  public GuardedCall admit() {
    end("admitted");
    // admitted at once, the clock reading of the reservation is the admission's: no second one
    return guard.admitReserved(permit, waitNanos == 0 ? reservedAt : Guard.READ_CLOCK);
  }

  /** Gives the permit back without making the call; the token stays spent. */
  public void cancel() {
    end("cancelled");
    guard.cancelled(permit);
  }

  private void end(String how) {
    String first = (String) ENDED.compareAndExchange(this, null, how);
    if (first != null) {
      throw new IllegalStateException(
          "This reservation for '"
              + guard.endpoint()
              + "' was already "
              + first
              + "; end it exactly once, so that its permit is given back once");
    }
  }

  @Override
  public String toString() {
    String how = ended;
    return "Reservation{"
        + guard.endpoint()
        + ", wait "
        + waitNanos
        + " ns, "
        + (how == null ? "pending" : how)
        + '}';
  }
}
