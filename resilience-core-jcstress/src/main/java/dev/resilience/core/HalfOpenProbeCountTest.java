package dev.resilience.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two callers race on a HALF_OPEN breaker that allows two probes in flight and has one out: exactly
 * one more is permitted (1), and no transition happens meanwhile.
 */
@JCStressTest
@Outcome(
    id = {"1, 0, 0", "0, 1, 0"},
    expect = Expect.ACCEPTABLE,
    desc = "probe-count probes")
@Outcome(expect = Expect.FORBIDDEN, desc = "more probes in flight than probe-count, or too few")
@State
public class HalfOpenProbeCountTest {

  private volatile long now;
  private final AtomicInteger transitions = new AtomicInteger();
  private final TimeWindowCircuitBreaker breaker =
      new TimeWindowCircuitBreaker(
          "jcstress",
          CircuitBreakerConfig.builder()
              .failThreshold(1)
              .cooldown(Duration.ofNanos(10))
              .minDwell(Duration.ZERO)
              .probeCount(2)
              .build(),
          () -> now);

  public HalfOpenProbeCountTest() {
    breaker.onFailure(breaker.tryAcquirePermission(false), "503"); // opens
    now = 10;
    breaker.tryAcquirePermission(false); // HALF_OPEN, one probe out
    breaker.addListener((b, from, to) -> transitions.incrementAndGet());
  }

  @Actor
  public void first(III_Result r) {
    r.r1 = permitted(breaker.tryAcquirePermission(false));
  }

  @Actor
  public void second(III_Result r) {
    r.r2 = permitted(breaker.tryAcquirePermission(false));
  }

  private static int permitted(long permit) {
    return permit == TimeWindowCircuitBreaker.NO_PERMIT ? 0 : 1;
  }

  @Arbiter
  public void transitions(III_Result r) {
    r.r3 = transitions.get();
  }
}
