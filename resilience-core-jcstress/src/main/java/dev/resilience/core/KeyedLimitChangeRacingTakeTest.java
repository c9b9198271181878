package dev.resilience.core;

import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * An operator grows the quota of every key while a call takes a key's last token (one of two spent,
 * time standing still). The call is admitted, before the key's cell is carried into the new limits
 * or after, and the key ends empty either way: a take lost in the carrying would leave a token, a
 * fresh cell in its place would be full.
 */
@JCStressTest
@Outcome(id = "true, 0", expect = Expect.ACCEPTABLE, desc = "taken before or after the change")
@Outcome(expect = Expect.FORBIDDEN, desc = "rejected, a lost take or tokens made up")
@State
public class KeyedLimitChangeRacingTakeTest {

  private static final Limits TWO = Limits.of(Limit.of(2, Duration.ofDays(1)));
  private static final Limits EIGHT = Limits.of(Limit.of(8, Duration.ofDays(4)));

  private final KeyedRateLimiter buckets = KeyedRateLimiter.inMemory("jcstress", TWO, 10, () -> 0L);

  public KeyedLimitChangeRacingTakeTest() {
    buckets.tryAcquire("a");
  }

  @Actor
  public void take(ZI_Result r) {
    r.r1 = buckets.tryAcquire("a");
  }

  @Actor
  public void change(ZI_Result r) {
    buckets.replaceLimits(TWO, EIGHT);
  }

  @Arbiter
  public void left(ZI_Result r) {
    r.r2 = (int) Math.round(buckets.availableTokens("a", 0) * 1000);
  }
}
