package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemTickerTest {

  @Test
  void theSystemTickerReadsTheJvmsMonotonicNanosecondClock() {
    long before = System.nanoTime();

    long read = Ticker.system().read();

    long after = System.nanoTime();
    assertThat(read - before).as("not before the earlier reading").isNotNegative();
    assertThat(after - read).as("not after the later reading").isNotNegative();
  }
}
