package dev.resilience.core;

import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIJ_Result;

/**
 * Two calls on a full key of two one-token limits, the later call two intervals of the first limit
 * after the earlier (the clock moves): whichever is admitted, the first limit's bucket must then
 * show its token gone at the later time (until a token: 0 if only the earlier call was admitted,
 * whose token is back by then; 100 ns if the later one was). A call rejected by the second limit
 * gives back its token of the first; given back as a whole interval after the later call had found
 * the bucket full, it erased the later call's token (the bucket full again at once: 0 after the
 * later call was admitted).
 */
@JCStressTest
@Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "the earlier call admitted")
@Outcome(id = "0, 1, 100", expect = Expect.ACCEPTABLE, desc = "the later call admitted")
@Outcome(id = "0, 1, 0", expect = Expect.FORBIDDEN, desc = "a give-back erased the later token")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or none admitted")
@State
public class KeyedGiveBackOnMovingClockTest {

  private static final long EARLIER = 1_000;
  private static final long LATER = 1_200;

  private final KeyedRateLimiter buckets =
      KeyedRateLimiter.inMemory(
          "jcstress",
          Limits.of(Limit.of(1, Duration.ofNanos(100)), Limit.of(1, Duration.ofSeconds(1))),
          10,
          () -> LATER);

  public KeyedGiveBackOnMovingClockTest() {
    buckets.tryReserve("warm", 0, EARLIER); // not the key: only warms the code up
  }

  @Actor
  public void earlier(IIJ_Result r) {
    r.r1 = buckets.tryReserve("a", 0, EARLIER) == 0 ? 1 : 0;
  }

  @Actor
  public void later(IIJ_Result r) {
    r.r2 = buckets.tryReserve("a", 0, LATER) == 0 ? 1 : 0;
  }

  @Arbiter
  public void untilToken(IIJ_Result r) {
    r.r3 = buckets.nanosUntilToken("a", 0);
  }
}
