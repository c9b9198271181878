package dev.resilience.spring.metrics;

import dev.resilience.spring.redis.RedisRateLimitBackend;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The Redis backend's meters, tagged {@code backend="redis"}: {@code
 * resilience_rate_limit_backend_up} (1 while decisions go to Redis, 0 while {@code on-failure}
 * decides), {@code resilience_rate_limit_backend_errors_total} (failed or timed-out Redis calls)
 * and {@code resilience_rate_limit_backend_seconds} (a histogram of answered round trips).
 */
public final class RedisBackendMeters implements MeterBinder {

  private final RedisRateLimitBackend backend;

  public RedisBackendMeters(RedisRateLimitBackend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("resilience.rate.limit.backend.up", backend, b -> b.isUp() ? 1 : 0)
        .description("1 while the rate limiters decide in Redis, 0 while on-failure decides")
        .tag("backend", "redis")
        .register(registry);
    FunctionCounter.builder(
            "resilience.rate.limit.backend.errors", backend, RedisRateLimitBackend::errors)
        .description("Redis calls of the rate limiters that failed or timed out")
        .tag("backend", "redis")
        .register(registry);
    Timer roundTrips =
        Timer.builder("resilience.rate.limit.backend")
            .description("Answered Redis round trips of the rate limiters")
            .tag("backend", "redis")
            .publishPercentileHistogram()
            .register(registry);
    backend.recordRoundTrips(
        nanos -> roundTrips.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS));
  }
}
