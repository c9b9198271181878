package dev.resilience.spring.metrics;

import dev.resilience.core.KeyedRateLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of one set of buckets per key, a keyed endpoint's or an inbound rule's, tagged with
 * its {@code name} only: a key is never a tag, since keys are unbounded and may identify clients.
 * Both are read from the limiter when scraped, so calls pay nothing for them.
 */
final class KeyedLimiterMeters {

  static final String KEYS = "resilience.rate.limit.keys";
  static final String EVICTIONS = "resilience.rate.limit.key.evictions";

  private KeyedLimiterMeters() {}

  static void register(KeyedRateLimiter limiter, MeterRegistry registry) {
    Gauge.builder(KEYS, limiter, KeyedRateLimiter::liveKeys)
        .description("Keys whose buckets hold state now (a key whose buckets are full holds none)")
        .tag("name", limiter.name())
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(EVICTIONS, limiter, KeyedRateLimiter::evictions)
        .description(
            "Keys evicted while their buckets still counted, to stay within max-keys; dropping a"
                + " key whose buckets are full again is free and not counted")
        .tag("name", limiter.name())
        .register(registry);
  }
}
