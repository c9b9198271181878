package dev.resilience.sample.exchange;

import jakarta.validation.Valid;
import java.util.concurrent.atomic.AtomicReference;
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

  private final AtomicReference<Chaos> chaos = new AtomicReference<>(Chaos.NONE);

  /** Makes the exchange fail as described. */
  @PutMapping("/sim/chaos")
  public Chaos setChaos(@Valid @RequestBody Chaos next) {
    chaos.set(next);
    return next;
  }

  /** Heals the exchange. */
  @DeleteMapping("/sim/chaos")
  public Chaos heal() {
    chaos.set(Chaos.NONE);
    return Chaos.NONE;
  }

  Chaos current() {
    return chaos.get();
  }
}
