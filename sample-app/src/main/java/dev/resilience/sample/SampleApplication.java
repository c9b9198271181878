package dev.resilience.sample;

import dev.resilience.spring.inbound.TierResolver;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A trading client in front of a simulated exchange that lives in the same process and is called
 * over real HTTP, so that downstream errors are classified exactly as in production.
 */
@SpringBootApplication
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  /**
   * Puts the API keys listed in {@code sample.pro-keys} in the {@code pro} tier of every inbound
   * rule; a real service would ask its account store (and cache the answer).
   */
  @Bean
  TierResolver tiers(Environment environment) {
    Set<String> proKeys =
        Binder.get(environment)
            .bind("sample.pro-keys", Bindable.setOf(String.class))
            .orElse(Set.of());
    return (rule, key) -> proKeys.contains(key) ? "pro" : null;
  }
}
