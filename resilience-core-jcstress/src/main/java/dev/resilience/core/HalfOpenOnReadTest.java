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
 * A reader (the actuator, a gauge) and a caller meet an OPEN breaker whose cooldown has elapsed:
 * the reader sees HALF_OPEN (2), the caller becomes the one probe (1), and the move to HALF_OPEN is
 * heard exactly once, whichever of them made it.
 */
@JCStressTest
@Outcome(
    id = "2, 1, 1",
    expect = Expect.ACCEPTABLE,
    desc = "HALF_OPEN seen, one probe, one transition")
@Outcome(expect = Expect.FORBIDDEN, desc = "a stale OPEN, no probe, or the transition heard twice")
@State
public class HalfOpenOnReadTest {

  private volatile long now;
  private final AtomicInteger transitions = new AtomicInteger();
  private final TimeWindowCircuitBreaker breaker =
      new TimeWindowCircuitBreaker(
          "jcstress",
          CircuitBreakerConfig.builder()
              .failThreshold(1)
              .cooldown(Duration.ofNanos(10))
              .minDwell(Duration.ZERO)
              .build(),
          () -> now);

  public HalfOpenOnReadTest() {
    breaker.onFailure(breaker.tryAcquirePermission(false), "503"); // opens
    now = 10;
    breaker.addListener((b, from, to) -> transitions.incrementAndGet());
  }

  @Actor
  public void read(III_Result r) {
    r.r1 = breaker.state().gaugeValue();
  }

  @Actor
  public void call(III_Result r) {
    r.r2 = breaker.tryAcquirePermission(false) == TimeWindowCircuitBreaker.NO_PERMIT ? 0 : 1;
  }

  @Arbiter
  public void transitions(III_Result r) {
    r.r3 = transitions.get();
  }
}
