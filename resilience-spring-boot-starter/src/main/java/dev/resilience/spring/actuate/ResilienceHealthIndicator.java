package dev.resilience.spring.actuate;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitState;
import dev.resilience.core.ResilienceRegistry;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code resilience} health contributor: every breaker's state in its details, by breaker name.
 *
 * <p>An open breaker means the application is protecting itself from a failing downstream, which is
 * the breaker working, not the application failing; so the contributor stays UP unless {@code
 * resilience.health.down-when-open=true}, in which case an OPEN breaker that is still rejecting
 * makes it DOWN. HALF_OPEN does not, and neither does an OPEN breaker whose cooldown has passed: it
 * would let the next call through as a probe, and an instance that a load balancer took out of
 * rotation gets no call to move it on, so staying DOWN would keep it out for good.
 */
public class ResilienceHealthIndicator extends AbstractHealthIndicator {

  private final ResilienceRegistry registry;
  private final boolean downWhenOpen;

  /**
   * Creates the contributor.
   *
   * @param registry the breakers to report
   * @param downWhenOpen whether an OPEN breaker makes the contributor DOWN
   */
  public ResilienceHealthIndicator(ResilienceRegistry registry, boolean downWhenOpen) {
    super("Resilience health check failed");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.downWhenOpen = downWhenOpen;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean anyOpen = false;
    for (Map.Entry<String, CircuitBreaker> entry : registry.circuitBreakers().entrySet()) {
      CircuitBreaker breaker = entry.getValue();
      CircuitState state = breaker.state();
      anyOpen |= state == CircuitState.OPEN && breaker.retryAfterNanos() > 0;
      builder.withDetail(entry.getKey(), state.name());
    }
    if (downWhenOpen && anyOpen) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
