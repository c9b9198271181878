package dev.resilience.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JD_Result;

/**
 * A success and a weighted failure are reported at once into a fresh window slice (the slice is
 * created by whichever thread comes first): neither may be lost.
 */
@JCStressTest
@Outcome(id = "2, 2.0", expect = Expect.ACCEPTABLE, desc = "every report counted")
@Outcome(expect = Expect.FORBIDDEN, desc = "a report lost or counted twice")
@State
public class SlidingWindowCountTest {

  private final TimeWindowCircuitBreaker breaker =
      new TimeWindowCircuitBreaker(
          "jcstress", CircuitBreakerConfig.builder().weight("timeout", 2).build(), () -> 0L);
  private final long first = breaker.tryAcquirePermission(false);
  private final long second = breaker.tryAcquirePermission(false);

  @Actor
  public void succeed(JD_Result r) {
    breaker.onSuccess(first, 0);
  }

  @Actor
  public void timeOut(JD_Result r) {
    breaker.onFailure(second, "timeout");
  }

  @Arbiter
  public void totals(JD_Result r) {
    r.r1 = breaker.snapshot().callsInWindow();
    r.r2 = breaker.snapshot().failuresInWindow();
  }
}
