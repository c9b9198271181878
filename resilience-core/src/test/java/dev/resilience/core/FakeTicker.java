package dev.resilience.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when a test says so. Starts at an arbitrary, negative-safe origin. */
final class FakeTicker implements Ticker {

  private final AtomicLong nanos;

  FakeTicker() {
    this(-5_000_000_000L); // System.nanoTime may be negative: so may ours
  }

  FakeTicker(long start) {
    this.nanos = new AtomicLong(start);
  }

  @Override
  public long read() {
    return nanos.get();
  }

  FakeTicker advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    return this;
  }

  FakeTicker advanceNanos(long delta) {
    nanos.addAndGet(delta);
    return this;
  }
}
