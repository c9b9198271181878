package dev.resilience.spring.inbound;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** The {@code WebFilter}, in a WebFlux application on Tomcat. */
class InboundWebFluxHttpTest extends InboundHttpContract {

  private static ConfigurableApplicationContext context;

  @BeforeAll
  static void startApplication() {
    context = start(ReactiveInboundApplication.class, WebApplicationType.REACTIVE);
  }

  @AfterAll
  static void stopApplication() {
    context.close();
  }

  @Override
  ConfigurableApplicationContext application() {
    return context;
  }
}
