package dev.resilience.spring.metrics;

import dev.resilience.core.AdaptiveLimit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/**
 * The gauges of an adaptive concurrency limit, an endpoint's or an inbound rule's, tagged {@code
 * name}: {@code resilience_adaptive_limit}, {@code resilience_adaptive_in_flight} and {@code
 * resilience_adaptive_rtt_seconds{window=short|long}}, read when scraped.
 */
final class AdaptiveLimitMeters {

  static final String LIMIT = "resilience.adaptive.limit";
  static final String IN_FLIGHT = "resilience.adaptive.in.flight";
  static final String RTT = "resilience.adaptive.rtt";

  private AdaptiveLimitMeters() {}

  /** Registers the limit's gauges; they hold the limit strongly, as it lives as long as the app. */
  static void bind(AdaptiveLimit adaptive, MeterRegistry registry) {
    Gauge.builder(LIMIT, adaptive, AdaptiveLimit::limit)
        .description("The adaptive concurrency limit in force now")
        .tag("name", adaptive.name())
        .strongReference(true)
        .register(registry);
    Gauge.builder(IN_FLIGHT, adaptive, AdaptiveLimit::inFlight)
        .description("Calls or requests in flight under the adaptive limit now")
        .tag("name", adaptive.name())
        .strongReference(true)
        .register(registry);
    rttGauge(registry, adaptive, "short", AdaptiveLimit::shortRttNanos);
    rttGauge(registry, adaptive, "long", AdaptiveLimit::longRttNanos);
  }

  private static void rttGauge(
      MeterRegistry registry,
      AdaptiveLimit adaptive,
      String window,
      ToLongFunction<AdaptiveLimit> rttNanos) {
    Gauge.builder(RTT, adaptive, limit -> rttNanos.applyAsLong(limit) / 1e9)
        .description(
            "Average round-trip time of the recent successes (short window) or of all (long"
                + " window) under the adaptive limit; 0 before the first")
        .tags("name", adaptive.name(), "window", window)
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }
}
