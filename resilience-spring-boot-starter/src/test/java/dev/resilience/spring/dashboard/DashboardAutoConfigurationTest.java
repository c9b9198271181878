package dev.resilience.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.events.ResilienceEventsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The live page is opt-in, and only in a servlet web application. */
class DashboardAutoConfigurationTest {

  private static final AutoConfigurations CONFIGURATIONS =
      AutoConfigurations.of(
          ResilienceAutoConfiguration.class,
          ResilienceEventsAutoConfiguration.class,
          DashboardAutoConfiguration.class);

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

  @Test
  void whenNotEnabledThenThereIsNoPage() {
    web.run(context -> assertThat(context).doesNotHaveBean(DashboardStream.class));
  }

  @Test
  void whenEnabledInAServletApplicationThenThePageAndItsStreamAreServed() {
    web.withPropertyValues("resilience.dashboard.enabled=true")
        .run(
            context -> {
              assertThat(context).hasSingleBean(DashboardStream.class);
              assertThat(context).hasSingleBean(DashboardController.class);
            });
  }

  @Test
  void whenEnabledOutsideAWebApplicationThenThereIsNoPage() {
    new ApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues("resilience.dashboard.enabled=true")
        .run(context -> assertThat(context).doesNotHaveBean(DashboardStream.class));
  }
}
