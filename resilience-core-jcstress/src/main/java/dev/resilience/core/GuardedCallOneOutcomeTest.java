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
 * Two threads report the same admitted call at once, one as a failure and one as a success: exactly
 * one report is taken (1) and the other fails loudly (0), and the breaker counts one call.
 */
@JCStressTest
@Outcome(
    id = {"1, 0, 1", "0, 1, 1"},
    expect = Expect.ACCEPTABLE,
    desc = "one outcome counted, the other refused")
@Outcome(expect = Expect.FORBIDDEN, desc = "both reports taken, or none")
@State
public class GuardedCallOneOutcomeTest {

  private final Guard guard =
      ResilienceRegistry.builder()
          .ticker(() -> 0L)
          .rateLimiterDefaults(new RateLimiterConfig(1, 1, Duration.ZERO))
          .build()
          .guard("jcstress", "jcstress", false);
  private final GuardedCall call = guard.admit();

  @Actor
  public void fail(IIJ_Result r) {
    r.r1 = taken(() -> call.failed("503"));
  }

  @Actor
  public void succeed(IIJ_Result r) {
    r.r2 = taken(call::succeeded);
  }

  private static int taken(Runnable report) {
    try {
      report.run();
      return 1;
    } catch (IllegalStateException alreadyReported) {
      return 0;
    }
  }

  @Arbiter
  public void counted(IIJ_Result r) {
    r.r3 = guard.breaker().snapshot().callsInWindow();
  }
}
