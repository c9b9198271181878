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
 * A limit of 3 with one slot held: one caller takes a slot while the held call succeeds, which
 * gives its slot back and grows the limit if at least half of it was in use, itself included. The
 * caller is always admitted and one call is in flight at the end; the limit grows exactly when the
 * success came second (2 of 3 in use), so the count it judged by is the one its release changed.
 */
@JCStressTest
@Outcome(
    id = "true, 1, 4",
    expect = Expect.ACCEPTABLE,
    desc = "admitted first: the success saw 2 of 3 in use and grew the limit")
@Outcome(
    id = "true, 1, 3",
    expect = Expect.ACCEPTABLE,
    desc = "success first: 1 of 3 in use, the limit held nothing back")
@Outcome(expect = Expect.FORBIDDEN, desc = "a slot lost or counted twice, or a growth misjudged")
@State
public class AdaptiveLimitReleaseRacingAcquireTest {

  private final AdaptiveLimit limit =
      AdaptiveLimit.of("jcstress", AdaptiveLimitConfig.defaults().withLimits(1, 10, 3), () -> 0L);

  public AdaptiveLimitReleaseRacingAcquireTest() {
    limit.tryAcquire();
  }

  @Actor
  public void caller(ZII_Result r) {
    r.r1 = limit.tryAcquire();
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
