package dev.resilience.core;

import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A take on a full two-limit key races a sweep dropping it as full. Either the drop comes first and
 * the take goes to the key's new cell, or the take comes first and the key, no longer full, stays.
 * Either way the key ends with one token fewer in each limit (1 and 2 left: 12); a token taken from
 * a cell already dropped would be lost (the key full again: 23).
 */
@JCStressTest
@Outcome(id = "1, 1, 12", expect = Expect.ACCEPTABLE, desc = "dropped, then taken from a new cell")
@Outcome(id = "1, 0, 12", expect = Expect.ACCEPTABLE, desc = "taken, so not full: kept")
@Outcome(expect = Expect.FORBIDDEN, desc = "a token lost to a dropped cell, or a call rejected")
@State
public class KeyedTakeRacingDropTest {

  private static final long NOW = 1_000;

  private final KeyedBuckets buckets =
      (KeyedBuckets)
          KeyedRateLimiter.inMemory(
              "jcstress",
              Limits.of(Limit.of(2, Duration.ofNanos(2_000)), Limit.of(3, Duration.ofNanos(3_000))),
              10,
              () -> NOW);

  public KeyedTakeRacingDropTest() {
    buckets.tryReserve("a", 0, NOW - 5_000); // makes the key's cell, full again by NOW
  }

  @Actor
  public void take(III_Result r) {
    r.r1 = buckets.tryReserve("a", 0, NOW) == 0 ? 1 : 0;
  }

  @Actor
  public void sweep(III_Result r) {
    r.r2 = buckets.dropIfFull("a", NOW) ? 1 : 0;
  }

  @Arbiter
  public void left(III_Result r) {
    r.r3 = (int) buckets.availableTokens("a", 0) * 10 + (int) buckets.availableTokens("a", 1);
  }
}
