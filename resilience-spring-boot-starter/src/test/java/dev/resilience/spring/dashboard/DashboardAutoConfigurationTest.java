package dev.resilience.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.events.ResilienceEventsAutoConfiguration;
import dev.resilience.spring.inbound.InboundAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The live page is opt-in, and only in a servlet web application: elsewhere, asking for it fails.
 */
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
  void whenAnInboundRuleHasAnAdaptiveLimitThenThePageShowsItAfterTheEndpointsMarkedInbound() {
    web.withConfiguration(AutoConfigurations.of(InboundAutoConfiguration.class))
        .withPropertyValues(
            "resilience.dashboard.enabled=true",
            "resilience.adaptive.endpoint-overrides.quote.enabled=true",
            "resilience.inbound.rules.api.adaptive.enabled=true",
            "resilience.inbound.rules.orders.limits[0].quota=5",
            "resilience.inbound.rules.orders.limits[0].window=1s")
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              InboundRuleLimits rules = context.getBean(InboundRuleLimits.class);
              registry.guard("quote", "exchange", false);

              Map<String, AdaptiveLimit> shown =
                  DashboardAutoConfiguration.Served.adaptiveLimits(registry, rules);

              assertThat(shown).containsOnlyKeys("quote", "api (inbound)");
              assertThat(shown.keySet()).containsExactly("quote", "api (inbound)");
              assertThat(shown.get("api (inbound)")).isSameAs(rules.adaptiveLimit("api"));
              assertThat(shown.get("quote"))
                  .isSameAs(registry.guards().get("quote").adaptiveLimit());
            });
  }

  @Test
  void whenEnabledOutsideAWebApplicationThenStartUpFailsSayingThePageCannotBeServed() {
    new ApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues("resilience.dashboard.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidResiliencePropertiesException.class)
                    .hasMessage(
                        "Invalid resilience configuration: resilience.dashboard.enabled=true the"
                            + " live page needs a Spring MVC (servlet) web application, and this one"
                            + " is not a web application"));
  }

  @Test
  void whenEnabledInAWebFluxApplicationThenStartUpFailsSayingThePageCannotBeServed() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues("resilience.dashboard.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidResiliencePropertiesException.class)
                    .hasMessageContaining("this one is a WebFlux (reactive) application"));
  }

  @Test
  void whenNotEnabledOutsideAServletApplicationThenNothingIsSaid() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardStream.class));
  }
}
