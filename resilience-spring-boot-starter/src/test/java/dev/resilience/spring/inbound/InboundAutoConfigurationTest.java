package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Guard;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InvalidResiliencePropertiesException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.metrics.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.security.web.FilterChainProxy;
import reactor.core.publisher.Mono;

/** When the inbound filter exists, and where it sits in the filter chain. */
class InboundAutoConfigurationTest {

  private static final AutoConfigurations CONFIGURATIONS =
      AutoConfigurations.of(ResilienceAutoConfiguration.class, InboundAutoConfiguration.class);

  private static final String[] ONE_RULE = {
    "resilience.inbound.rules.orders.paths=/orders/**",
    "resilience.inbound.rules.orders.key=header:X-Api-Key",
    "resilience.inbound.rules.orders.limits[0].quota=5",
    "resilience.inbound.rules.orders.limits[0].window=1s"
  };

  private final WebApplicationContextRunner servlet =
      new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

  private final ReactiveWebApplicationContextRunner reactive =
      new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

  @Test
  void whenAServletApplicationHasARuleThenTheFilterRunsRightAfterSpringSecurity() {
    servlet
        .withPropertyValues(ONE_RULE)
        .run(
            context -> {
              assertThat(context).hasSingleBean(FilterRegistrationBean.class);
              assertThat(context).doesNotHaveBean(InboundWebFilter.class);
              FilterRegistrationBean<?> registration =
                  context.getBean(FilterRegistrationBean.class);
              assertThat(registration.getFilter()).isInstanceOf(InboundServletFilter.class);
              assertThat(registration.getFilterName()).isEqualTo("resilienceInboundFilter");
              assertThat(registration.getOrder()).isEqualTo(-99);
            });
  }

  @Test
  void whenSpringSecuritysFilterIsMovedThenTheFilterFollowsIt() {
    servlet
        .withPropertyValues(ONE_RULE)
        .withPropertyValues("spring.security.filter.order=10")
        .run(
            context ->
                assertThat(context.getBean(FilterRegistrationBean.class).getOrder()).isEqualTo(11));
  }

  @Test
  void whenSpringSecurityIsAbsentThenTheServletFilterIsStillThere() {
    servlet
        .withPropertyValues(ONE_RULE)
        .withClassLoader(new FilteredClassLoader(FilterChainProxy.class.getPackageName()))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(FilterRegistrationBean.class).getOrder()).isEqualTo(-99);
            });
  }

  @Test
  void whenTheFilterExistsThenEachRulesBucketsAreTheRegistrysUnderTheRulesName() {
    servlet
        .withPropertyValues(ONE_RULE)
        .run(
            context -> {
              ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
              assertThat(registry.keyedRateLimiters()).containsOnlyKeys("orders");
              assertThat(registry.findKeyedRateLimiter("orders").limits("k").get(0).quota())
                  .isEqualTo(5);
            });
  }

  @Test
  void whenAReactiveApplicationHasARuleThenAWebFilterRunsRightAfterSpringSecurity() {
    reactive
        .withPropertyValues(ONE_RULE)
        .run(
            context -> {
              assertThat(context).hasSingleBean(InboundWebFilter.class);
              assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
              assertThat(context.getBean(InboundWebFilter.class).getOrder()).isEqualTo(-99);
            });
  }

  @Test
  void whenReactorIsAbsentThenNoWebFilterIsMade() {
    reactive
        .withPropertyValues(ONE_RULE)
        .withClassLoader(new FilteredClassLoader(Mono.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(InboundWebFilter.class);
            });
  }

  @Test
  void whenTheApplicationIsNotAWebApplicationThenItsRulesStopStartUp() {
    new ApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues(ONE_RULE)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root = NestedExceptionUtils.getRootCause(context.getStartupFailure());
              assertThat(root).isInstanceOf(InvalidResiliencePropertiesException.class);
              InvalidResiliencePropertiesException.Problem problem =
                  ((InvalidResiliencePropertiesException) root).problems().get(0);
              assertThat(problem.property()).isEqualTo("resilience.inbound.rules");
              assertThat(problem.value()).isEqualTo("orders");
              assertThat(problem.reason())
                  .isEqualTo(
                      "this application serves no web requests (it is neither a servlet nor a"
                          + " WebFlux application), so no inbound rule can ever apply");
            });
  }

  @Test
  void whenTheApplicationIsNotAWebApplicationAndInboundIsOffThenItStarts() {
    new ApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues(ONE_RULE)
        .withPropertyValues("resilience.inbound.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(InboundLimiter.class);
              assertThat(context.getBean(ResilienceRegistry.class).keyedRateLimiters()).isEmpty();
            });
  }

  @Test
  void whenNoRuleIsSetThenThereIsNoFilter() {
    servlet
        .withPropertyValues("resilience.inbound.trusted-proxies=1")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(InboundLimiter.class);
              assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
            });
    reactive.run(context -> assertThat(context).doesNotHaveBean(InboundWebFilter.class));
  }

  @Test
  void whenInboundIsDisabledThenThereIsNoFilter() {
    servlet
        .withPropertyValues(ONE_RULE)
        .withPropertyValues("resilience.inbound.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(InboundLimiter.class);
              assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
            });
    reactive
        .withPropertyValues(ONE_RULE)
        .withPropertyValues("resilience.inbound.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(InboundWebFilter.class));
  }

  @Test
  void whenARuleAndAnEndpointOfOneNameBothHaveAnAdaptiveLimitThenStartUpFailsNamingTheRule() {
    servlet
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                ResilienceMetricsAutoConfiguration.class))
        .withPropertyValues(
            "resilience.inbound.rules.quotes.adaptive.enabled=true",
            "resilience.adaptive.endpoint-overrides.quotes.enabled=true")
        .withUserConfiguration(QuotesEndpoint.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                  .isInstanceOf(InvalidResiliencePropertiesException.class)
                  .hasMessageContaining("resilience.inbound.rules.quotes.adaptive.enabled=true")
                  .hasMessageContaining(
                      "endpoint 'quotes' has an adaptive limit too, and both would report as"
                          + " resilience_adaptive_limit{name=\"quotes\"}");
            });
  }

  /** The endpoint {@code quotes}, bound while the singletons are made, as the scan does. */
  @Configuration(proxyBeanMethods = false)
  static class QuotesEndpoint {

    @Bean
    Guard quotesGuard(ResilienceRegistry registry) {
      return registry.guard("quotes", "exchange", false);
    }
  }

  @Test
  void whenAMeterRegistryExistsThenEveryRulesSeriesIsRegisteredAtStartUp() {
    servlet
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .withPropertyValues(ONE_RULE)
        .withPropertyValues(
            "resilience.inbound.rules.login.paths=/login",
            "resilience.inbound.rules.login.limits[0].quota=3",
            "resilience.inbound.rules.login.limits[0].window=1m")
        .run(
            context -> {
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              for (String rule : new String[] {"orders", "login"}) {
                for (String outcome :
                    new String[] {"admitted", "rejected", "bypassed", "shadow_rejected"}) {
                  assertThat(
                          meters
                              .get("resilience.inbound.requests")
                              .tag("rule", rule)
                              .tag("outcome", outcome)
                              .counter()
                              .count())
                      .isZero();
                }
              }
            });
  }

  @Test
  void whenMicrometerIsAbsentThenTheFilterWorksWithoutMeters() {
    servlet
        .withPropertyValues(ONE_RULE)
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(InboundMeters.class);
              assertThat(context).hasSingleBean(FilterRegistrationBean.class);
            });
  }

  @Test
  void prometheusShowsTheRequestCounterWithRuleAndOutcome() {
    InboundMeters meters = new InboundMeters(java.util.List.of("orders"), java.util.Set.of());
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.bindTo(prometheus);
    meters.onRequest(0, InboundListener.Outcome.SHADOW_REJECTED);

    assertThat(prometheus.scrape().lines())
        .contains(
            "# TYPE resilience_inbound_requests_total counter",
            "resilience_inbound_requests_total{outcome=\"admitted\",rule=\"orders\"} 0.0",
            "resilience_inbound_requests_total{outcome=\"bypassed\",rule=\"orders\"} 0.0",
            "resilience_inbound_requests_total{outcome=\"rejected\",rule=\"orders\"} 0.0",
            "resilience_inbound_requests_total{outcome=\"shadow_rejected\",rule=\"orders\"} 1.0");
  }

  @Test
  void aMeterBinderBoundTwiceCountsInBothRegistries() {
    InboundMeters meters = new InboundMeters(java.util.List.of("orders"), java.util.Set.of());
    SimpleMeterRegistry one = new SimpleMeterRegistry();
    SimpleMeterRegistry two = new SimpleMeterRegistry();
    meters.bindTo(one);
    meters.bindTo(two);

    meters.onRequest(0, InboundListener.Outcome.REJECTED);

    for (SimpleMeterRegistry registry : new SimpleMeterRegistry[] {one, two}) {
      assertThat(
              registry
                  .get("resilience.inbound.requests")
                  .tag("outcome", "rejected")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  /** Binds the keyed endpoint {@code orders} before the inbound rule of that name is made. */
  static class KeyedOrdersEndpoint {
    KeyedOrdersEndpoint(ResilienceRegistry registry) {
      registry.keyedGuard("orders", "exchange", false);
    }
  }

  @Test
  void whenARuleHasTheNameOfAKeyedEndpointBoundFirstThenStartUpFailsNamingTheRule() {
    servlet
        .withPropertyValues(ONE_RULE)
        .withBean(KeyedOrdersEndpoint.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root = NestedExceptionUtils.getRootCause(context.getStartupFailure());
              assertThat(root).isInstanceOf(InvalidResiliencePropertiesException.class);
              InvalidResiliencePropertiesException.Problem problem =
                  ((InvalidResiliencePropertiesException) root).problems().get(0);
              assertThat(problem.property()).isEqualTo("resilience.inbound.rules.orders");
              assertThat(problem.reason())
                  .isEqualTo(
                      "names limits per key that exist already: an endpoint with"
                          + " @Guarded(endpoint = \"orders\", key = ...)");
              assertThat(problem.fix()).startsWith("Rename the rule or the endpoint");
            });
  }
}
