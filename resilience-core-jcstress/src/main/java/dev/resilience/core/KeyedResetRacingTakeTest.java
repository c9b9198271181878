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
 * An operator resets a key (one of its two tokens spent) while a call takes from it. The call is
 * admitted either way; the reset always reports that the key held state; the key ends full (the
 * take came first and the reset forgot it) or with the call's token gone from a new cell.
 */
@JCStressTest
@Outcome(id = "1, 1, 2", expect = Expect.ACCEPTABLE, desc = "taken, then reset: full")
@Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "reset, then taken from a new cell")
@Outcome(
    expect = Expect.FORBIDDEN,
    desc = "rejected, a reset that says it did nothing, or a lost reset")
@State
public class KeyedResetRacingTakeTest {

  private final KeyedRateLimiter buckets =
      KeyedRateLimiter.inMemory(
          "jcstress", Limits.of(Limit.of(2, Duration.ofHours(1))), 10, () -> 0L);

  public KeyedResetRacingTakeTest() {
    buckets.tryAcquire("a");
  }

  @Actor
  public void take(III_Result r) {
    r.r1 = buckets.tryAcquire("a") ? 1 : 0;
  }

  @Actor
  public void reset(III_Result r) {
    r.r2 = buckets.reset("a") ? 1 : 0;
  }

  @Arbiter
  public void left(III_Result r) {
    r.r3 = (int) buckets.availableTokens("a", 0);
  }
}
