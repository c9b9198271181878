package dev.resilience.sample.exchange;

import jakarta.validation.Valid;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The chaos switch under {@code /sim/chaos}: how the {@link SimulatedExchange} misbehaves. A
 * controller of its own so that its bad requests get answers about chaos ({@link ChaosErrors}).
 */
@RestController
public class ChaosController {

  /**
   * A chaos setting and, when it has a capacity, the permits of that capacity. A new setting gets
   * new permits: requests already waiting on the old ones finish under the old setting.
   */
  record Setting(Chaos chaos, @Nullable Semaphore capacity) {
    static Setting of(Chaos chaos) {
      Integer capacity = chaos.capacity();
      return new Setting(chaos, capacity == null ? null : new Semaphore(capacity, true));
    }
  }

  private final AtomicReference<Setting> setting = new AtomicReference<>(Setting.of(Chaos.NONE));

  /** Makes the exchange fail as described. */
  @PutMapping("/sim/chaos")
  public Chaos setChaos(@Valid @RequestBody Chaos next) {
    setting.set(Setting.of(next));
    return next;
  }

  /** Heals the exchange. */
  @DeleteMapping("/sim/chaos")
  public Chaos heal() {
    setting.set(Setting.of(Chaos.NONE));
    return Chaos.NONE;
  }

  Setting current() {
    return setting.get();
  }
}
