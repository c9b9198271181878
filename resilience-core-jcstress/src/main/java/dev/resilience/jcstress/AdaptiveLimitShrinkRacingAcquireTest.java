package dev.resilience.jcstress;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.AdaptiveLimitConfig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZII_Result;

/**
 * A limit of 2 with both slots held: one caller tries to take a slot while a held call ends with a
 * drop, which gives its slot back and shrinks the limit to 1 in the same step. In either order the
 * caller must be refused (before: 2 of 2 in use; after: 1 of 1), leaving 1 in flight under a limit
 * of 1. An admission would mean the count and the limit were read apart: a call over the limit.
 */
@JCStressTest
@Outcome(
    id = "false, 1, 1",
    expect = Expect.ACCEPTABLE,
    desc = "refused; one in flight under the shrunk limit")
@Outcome(
    expect = Expect.FORBIDDEN,
    desc = "admitted over the limit, or a slot lost or counted twice")
@State
public class AdaptiveLimitShrinkRacingAcquireTest {

  private final AdaptiveLimit limit =
      AdaptiveLimit.of("jcstress", AdaptiveLimitConfig.defaults().withLimits(1, 10, 2), () -> 0L);

  public AdaptiveLimitShrinkRacingAcquireTest() {
    limit.tryAcquire();
    limit.tryAcquire();
  }

  @Actor
  public void caller(ZII_Result r) {
    r.r1 = limit.tryAcquire();
  }

  @Actor
  public void dropped() {
    limit.onDropped(0, "503");
  }

  @Arbiter
  public void after(ZII_Result r) {
    r.r2 = limit.inFlight();
    r.r3 = limit.limit();
  }
}
