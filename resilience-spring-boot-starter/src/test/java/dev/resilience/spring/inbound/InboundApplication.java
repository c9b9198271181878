package dev.resilience.spring.inbound;

import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application behind the inbound filter: every path answers 200 with who asked. Keys that
 * start with {@code pro-} are in tier {@code pro}. No scanning: each test picks its rules.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(InboundApplication.Echo.class)
public class InboundApplication {

  @Bean
  TierResolver tiers() {
    return (rule, key) -> key.startsWith("pro-") ? "pro" : null;
  }

  @RestController
  public static class Echo {
    @RequestMapping("/**")
    String echo(@Nullable Principal principal) {
      return principal == null ? "ok" : "ok " + principal.getName();
    }
  }
}
