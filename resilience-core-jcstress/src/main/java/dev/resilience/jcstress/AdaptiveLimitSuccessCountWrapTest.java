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
 * A limit fixed at 4, two slots held, and the count of successes (kept in spare bits of the state
 * word, to pick those that sample) one short of wrapping: the success that wraps it races a caller
 * that keeps 2 slots free for others. The wrap never leaks into the calls in flight or the limit;
 * the caller is admitted exactly when the success came first.
 */
@JCStressTest
@Outcome(
    id = "true, 2, 4",
    expect = Expect.ACCEPTABLE,
    desc = "the success came first: 1 in flight left 2 free after the caller's")
@Outcome(
    id = "false, 1, 4",
    expect = Expect.ACCEPTABLE,
    desc = "the caller came first: 2 in flight would have left 1 free")
@Outcome(expect = Expect.FORBIDDEN, desc = "the success count leaked into the count or the limit")
@State
public class AdaptiveLimitSuccessCountWrapTest {

  private final AdaptiveLimit limit =
      AdaptiveLimit.of("jcstress", AdaptiveLimitConfig.defaults().withLimits(4, 4, 4), () -> 0L);

  public AdaptiveLimitSuccessCountWrapTest() {
    for (int i = 0; i < 255; i++) {
      limit.tryAcquire();
      limit.onSuccess(0);
    }
    limit.tryAcquire();
    limit.tryAcquire();
  }

  @Actor
  public void caller(ZII_Result r) {
    r.r1 = limit.tryAcquire(2);
  }

  @Actor
  public void succeeded() {
    limit.onSuccess(0);
  }

  @Arbiter
  public void after(ZII_Result r) {
    r.r2 = limit.inFlight();
    r.r3 = limit.limit();
  }
}
