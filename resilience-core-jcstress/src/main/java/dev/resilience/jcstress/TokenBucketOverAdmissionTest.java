package dev.resilience.jcstress;

import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Two callers race for the single token of a full bucket while time stands still: exactly one must
 * win. Two winners would break the rate limit; none would under-admit. (Two actors, because the
 * machines here have two CPUs and jcstress schedules no more actors than CPUs.)
 */
@JCStressTest
@Outcome(
    id = {"true, false", "false, true"},
    expect = Expect.ACCEPTABLE,
    desc = "exactly burst admitted")
@Outcome(id = "true, true", expect = Expect.FORBIDDEN, desc = "over-admission")
@Outcome(expect = Expect.FORBIDDEN, desc = "under-admission")
@State
public class TokenBucketOverAdmissionTest {

  private final RateLimiter bucket =
      RateLimiter.tokenBucket("jcstress", new RateLimiterConfig(1, 1, Duration.ZERO), () -> 0L);

  @Actor
  public void first(ZZ_Result r) {
    r.r1 = bucket.tryAcquire();
  }

  @Actor
  public void second(ZZ_Result r) {
    r.r2 = bucket.tryAcquire();
  }
}
