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
 * Two calls on one key whose first limit has two tokens and whose second has one, the clock frozen:
 * exactly one is admitted, and the other gives back what it took, so each limit has lost exactly
 * one token (1 and 0 left: 10).
 */
@JCStressTest
@Outcome(
    id = {"1, 0, 10", "0, 1, 10"},
    expect = Expect.ACCEPTABLE,
    desc = "one admitted, one token gone from each limit")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or none admitted, or a give-back lost or doubled")
@State
public class KeyedTwoLimitsOneTokenTest {

  private static final long NOW = 1_000;

  private final KeyedRateLimiter buckets =
      KeyedRateLimiter.inMemory(
          "jcstress",
          Limits.of(Limit.of(2, Duration.ofNanos(2_000)), Limit.of(1, Duration.ofNanos(1_000))),
          10,
          () -> NOW);

  @Actor
  public void first(III_Result r) {
    r.r1 = buckets.tryReserve("a", 0, NOW) == 0 ? 1 : 0;
  }

  @Actor
  public void second(III_Result r) {
    r.r2 = buckets.tryReserve("a", 0, NOW) == 0 ? 1 : 0;
  }

  @Arbiter
  public void left(III_Result r) {
    r.r3 = (int) buckets.availableTokens("a", 0) * 10 + (int) buckets.availableTokens("a", 1);
  }
}
