package dev.resilience.jcstress;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * Two callers reserve on an empty bucket (one token per 10 ns): each must get its own future token,
 * one at 10 ns and the other at 20 ns. The same wait twice would hand one token to both.
 */
@JCStressTest
@Outcome(
    id = {"10, 20", "20, 10"},
    expect = Expect.ACCEPTABLE,
    desc = "one token each, in order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a token handed out twice, or lost")
@State
public class TokenBucketReservationOrderTest {

  private final RateLimiter bucket =
      RateLimiter.tokenBucket("jcstress", new RateLimiterConfig(1e8, 1, Duration.ZERO), () -> 0L);

  public TokenBucketReservationOrderTest() {
    bucket.tryAcquire(); // empty it
  }

  @Actor
  public void first(JJ_Result r) {
    r.r1 = bucket.tryReserve(100);
  }

  @Actor
  public void second(JJ_Result r) {
    r.r2 = bucket.tryReserve(100);
  }
}
