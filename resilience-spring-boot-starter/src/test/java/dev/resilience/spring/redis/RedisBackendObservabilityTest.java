package dev.resilience.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.actuate.ResilienceEndpoint;
import dev.resilience.spring.actuate.ResilienceEndpoint.BackendDescriptor;
import dev.resilience.spring.actuate.ResilienceEndpoint.ErrorDescriptor;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Redis.OnFailure;
import dev.resilience.spring.metrics.RedisBackendMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * What operators see of the Redis backend: the Prometheus series of SPEC section 11 and the
 * actuator's {@code rateLimitBackend}, while Redis answers and after it died.
 */
class RedisBackendObservabilityTest {

  private final RealRedis redis = RealRedis.start();
  private final RealRedis.Instance instance =
      redis.instance(Duration.ofMillis(500), OnFailure.LOCAL, 0);
  private final RedisRateLimitBackend backend = instance.backend();

  @AfterEach
  void close() throws Exception {
    instance.close();
    redis.close();
  }

  @Test
  void prometheusAndTheActuatorShowTheBackendUpThenDegraded() throws Exception {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .rateLimiterDefaults(new RateLimiterConfig(100, 100, Duration.ZERO))
            .rateLimiterFactory(new RedisRateLimiterFactory(backend))
            .build();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new RedisBackendMeters(backend).bindTo(prometheus);
    ResilienceEndpoint endpoint = new ResilienceEndpoint(registry, backend);

    for (int i = 0; i < 5; i++) {
      registry.rateLimiter("place_order").tryAcquire();
    }
    List<String> up = prometheus.scrape().lines().toList();
    // read on another thread: this one's answer to its last decision would be fresh enough to
    // serve the read without a round trip, within 10 ms, which a warm JVM makes timing-dependent
    BackendDescriptor answering =
        CompletableFuture.supplyAsync(() -> endpoint.all().rateLimitBackend()).get();

    assertThat(up)
        .contains(
            "resilience_rate_limit_backend_up{backend=\"redis\"} 1.0",
            "resilience_rate_limit_backend_errors_total{backend=\"redis\"} 0.0",
            "resilience_rate_limit_backend_seconds_count{backend=\"redis\"} 5")
        .anyMatch(line -> line.startsWith("resilience_rate_limit_backend_seconds_bucket{"));
    assertThat(answering)
        .isEqualTo(new BackendDescriptor("redis", false, "local", 500L, 0, 0L, null));

    redis.stop();
    for (int i = 0; i < 5; i++) {
      registry.rateLimiter("place_order").tryAcquire();
    }
    List<String> down = prometheus.scrape().lines().toList();
    BackendDescriptor degraded = endpoint.all().rateLimitBackend();

    assertThat(down)
        .contains(
            "resilience_rate_limit_backend_up{backend=\"redis\"} 0.0",
            "resilience_rate_limit_backend_errors_total{backend=\"redis\"} 3.0",
            // the 5 decisions, and the actuator's read of the bucket's tokens
            "resilience_rate_limit_backend_seconds_count{backend=\"redis\"} 6");
    assertThat(degraded.degraded()).isTrue();
    assertThat(degraded.errors()).isEqualTo(3);
    assertThat(degraded.lastError()).isNotBlank();
  }

  @Test
  void whenAnOperatorLimitsABucketSharedThroughRedisThenTheAnswerIs409AndNothingChanges() {
    ResilienceRegistry registry =
        ResilienceRegistry.builder()
            .rateLimiterDefaults(new RateLimiterConfig(100, 100, Duration.ZERO))
            .rateLimiterFactory(new RedisRateLimiterFactory(backend))
            .build();
    registry.guard("place_order", "exchange", false);
    ResilienceEndpoint endpoint = new ResilienceEndpoint(registry, backend);

    WebEndpointResponse<OperationResponseBody> answer =
        endpoint.act("place_order", "limit", "2.0", "4", null, null);

    assertThat(answer.getStatus()).isEqualTo(409);
    assertThat(answer.getBody())
        .isEqualTo(
            new ErrorDescriptor(
                "The buckets live in redis, shared by every instance: one instance cannot change a"
                    + " shared bucket's limits coherently. Change"
                    + " resilience.rate-limiter.endpoint-overrides.place_order in every instance's"
                    + " configuration instead",
                null));
    assertThat(registry.limitsInForce("place_order").burst()).isEqualTo(100);
  }
}
