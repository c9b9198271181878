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
 * Two callers race on an OPEN breaker whose cooldown has elapsed, with one probe allowed: exactly
 * one is permitted (1) and becomes the probe that moves the breaker to HALF_OPEN, and the listener
 * hears exactly one transition.
 */
@JCStressTest
@Outcome(
    id = {"1, 0, 1", "0, 1, 1"},
    expect = Expect.ACCEPTABLE,
    desc = "one probe, one transition")
@Outcome(expect = Expect.FORBIDDEN, desc = "more than one probe, none, or a transition heard twice")
@State
public class HalfOpenProbePermitTest {

  private volatile long now;
  private final AtomicInteger transitions = new AtomicInteger();
  private final TimeWindowCircuitBreaker breaker =
      new TimeWindowCircuitBreaker(
          "jcstress",
          CircuitBreakerConfig.builder()
              .failThreshold(1)
              .cooldown(Duration.ofNanos(10))
              .minDwell(Duration.ZERO)
              .probeCount(1)
              .build(),
          () -> now);

  public HalfOpenProbePermitTest() {
    breaker.onFailure(breaker.tryAcquirePermission(false), "503"); // opens
    now = 10;
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
