package dev.resilience.core;

/** {@link System#nanoTime()} as a {@link Ticker}; an enum so the singleton needs no holder. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
