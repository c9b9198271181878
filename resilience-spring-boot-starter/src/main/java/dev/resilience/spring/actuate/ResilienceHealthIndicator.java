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
 * resilience.health.down-when-open=true}, in which case an OPEN breaker makes it DOWN. HALF_OPEN
 * does not.
 *
 * <p>The state shown is the breaker's own {@link CircuitBreaker#state()}, with no rule of this
 * contributor's about time: the core makes an OPEN breaker whose cooldown has passed read HALF_OPEN
 * without waiting for a call. That matters here, because an instance that a load balancer took out
 * of rotation for being DOWN gets no call, and must still come back UP.
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
      CircuitState state = entry.getValue().state();
      anyOpen |= state == CircuitState.OPEN;
      builder.withDetail(entry.getKey(), state.name());
    }
    if (downWhenOpen && anyOpen) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
