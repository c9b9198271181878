package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One call admitted by {@link Guard#admit()}, whose outcome its caller reports exactly once: {@link
 * #succeeded()}, {@link #failed(Throwable, FailureClassifier)}, {@link #failed(String)}, or {@link
 * #abandoned()}. A second report of the same call throws {@link IllegalStateException}, so a call
 * can never count twice, and only a guard makes one, so no outcome can be reported for a call that
 * was never admitted.
 *
 * <p>Reports may come from any thread (an asynchronous call completes elsewhere).
 */
public final class GuardedCall {

  private static final VarHandle OUTCOME;

  static {
    try {
      OUTCOME = MethodHandles.lookup().findVarHandle(GuardedCall.class, "outcome", String.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Guard guard;
  private final long permit;
  private final long start;

  @SuppressWarnings("unused") // written through OUTCOME
  private volatile @Nullable String outcome;

  GuardedCall(Guard guard, long permit, long start) {
    this.guard = guard;
    this.permit = permit;
    this.start = start;
  }

  /**
   * Reports that the call succeeded. A success slower than the breaker's slow-call duration counts
   * as a {@code slow} failure.
   */
  public void succeeded() {
    report("succeeded");
    guard.succeeded(permit, start);
  }

  /**
   * Reports that the call threw {@code error}; {@code classifier} decides whether it counts as a
   * failure (and with which code) or passes as an ignored error, which gives the permit back.
   *
   * @return whether the error counted as a failure
   */
  public boolean failed(Throwable error, FailureClassifier classifier) {
    report("failed");
    return guard.failed(permit, error, classifier, start);
  }

  /**
   * Reports that the call failed in a way that counts against the downstream, under {@code code}.
   */
  public void failed(String code) {
    report("failed");
    guard.failed(permit, code, start);
  }

  /**
   * Reports that the call ended without an outcome (it was cancelled, or never made): the permit
   * goes back, nothing is counted. The token it took stays spent.
   */
  public void abandoned() {
    report("abandoned");
    guard.released(permit);
  }

  private void report(String what) {
    String first = (String) OUTCOME.compareAndExchange(this, null, what);
    if (first != null) {
      throw new IllegalStateException(
          "The outcome of this call to '"
              + guard.endpoint()
              + "' was already reported ("
              + first
              + "); report it exactly once, so that no call counts twice");
    }
  }

  @Override
  public String toString() {
    String reported = outcome;
    return "GuardedCall{"
        + guard.endpoint()
        + ", "
        + (reported == null ? "in flight" : reported)
        + '}';
  }
}
