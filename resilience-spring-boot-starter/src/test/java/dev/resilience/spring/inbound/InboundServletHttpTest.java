package dev.resilience.spring.inbound;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** The servlet filter, on Tomcat. */
class InboundServletHttpTest extends InboundHttpContract {

  private static ConfigurableApplicationContext context;

  @BeforeAll
  static void startApplication() {
    context = start(InboundApplication.class, WebApplicationType.SERVLET);
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
