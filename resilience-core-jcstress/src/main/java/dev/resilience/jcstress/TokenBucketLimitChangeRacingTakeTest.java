package dev.resilience.jcstress;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * An operator grows the burst of a bucket holding its last token (one of two spent, time standing
 * still) while a call takes it. The call is admitted, before the change or after it, and the bucket
 * ends empty either way: the tokens are kept, not filled up to the new burst. A take lost by the
 * change would leave a token; a take read with the new burst and the old state (a half change)
 * would see more tokens than there are.
 */
@JCStressTest
@Outcome(id = "true, 0", expect = Expect.ACCEPTABLE, desc = "taken before or after the change")
@Outcome(expect = Expect.FORBIDDEN, desc = "rejected, a lost take or tokens made up")
@State
public class TokenBucketLimitChangeRacingTakeTest {

  private final RateLimiter bucket =
      RateLimiter.tokenBucket(
          "jcstress", new RateLimiterConfig(1e-6, 2, Duration.ZERO), () -> 1_000L);

  public TokenBucketLimitChangeRacingTakeTest() {
    bucket.tryAcquire();
  }

  @Actor
  public void take(ZI_Result r) {
    r.r1 = bucket.tryAcquire();
  }

  @Actor
  public void change(ZI_Result r) {
    bucket.changeLimits(1e-6, 8);
  }

  @Arbiter
  public void left(ZI_Result r) {
    r.r2 = (int) Math.round(bucket.availableTokens() * 1000);
  }
}
