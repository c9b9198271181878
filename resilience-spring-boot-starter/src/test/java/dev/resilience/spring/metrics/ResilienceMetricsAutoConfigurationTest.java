package dev.resilience.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.aspect.ResilienceAspectAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

class ResilienceMetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class,
                  ResilienceMetricsAutoConfiguration.class));

  @Test
  void whenGuardedBeanIsDeclaredThenItsSeriesExistFromStartUpAndCountItsCalls() {
    runner
        .withUserConfiguration(MeterRegistryConfig.class, QuoteClientConfig.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ResilienceMetrics.class);
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(meters.get("resilience.calls").tag("endpoint", "get_quote").counters())
                  .hasSize(5);
              assertThat(meters.get("resilience.failures").tag("endpoint", "get_quote").counters())
                  .hasSize(8);
              assertThat(
                      meters
                          .get("resilience.rate.limit.hits")
                          .tag("endpoint", "get_quote")
                          .counter()
                          .count())
                  .isZero();
              assertThat(
                      meters
                          .get("resilience.rate.limit.wait")
                          .tag("endpoint", "get_quote")
                          .timer()
                          .count())
                  .isZero();
              assertThat(
                      meters
                          .get("resilience.rate.limit.available.tokens")
                          .tag("endpoint", "get_quote")
                          .gauge()
                          .value())
                  .isEqualTo(16.0);
              assertThat(
                      meters
                          .get("resilience.breaker.state")
                          .tag("breaker", "quotes")
                          .gauge()
                          .value())
                  .isZero();
              assertThat(
                      meters
                          .get("resilience.breaker.transitions")
                          .tag("breaker", "quotes")
                          .counters())
                  .hasSize(5);

              assertThat(context.getBean(QuoteClient.class).quote("EURUSD"))
                  .isEqualTo("EURUSD 1.0842");

              assertThat(
                      meters
                          .get("resilience.calls")
                          .tags("endpoint", "get_quote", "outcome", "success")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
            });
  }

  @Test
  void whenPrometheusIsTheRegistryThenTheScrapeShowsTheDeclaredSeriesFromStartUp() {
    runner
        .withConfiguration(AutoConfigurations.of(PrometheusMetricsExportAutoConfiguration.class))
        .withUserConfiguration(QuoteClientConfig.class)
        .run(
            context -> {
              String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
              assertThat(scrape)
                  .contains("resilience_breaker_state{breaker=\"quotes\"} 0.0\n")
                  .contains(
                      "resilience_breaker_transitions_total{breaker=\"quotes\",from=\"CLOSED\",to=\"OPEN\"} 0.0\n")
                  .contains(
                      "resilience_calls_total{endpoint=\"get_quote\",outcome=\"rejected_rate_limit\"} 0.0\n")
                  .contains("resilience_failures_total{code=\"503\",endpoint=\"get_quote\"} 0.0\n")
                  .contains("resilience_rate_limit_hits_total{endpoint=\"get_quote\"} 0.0\n")
                  .contains(
                      "resilience_rate_limit_wait_seconds_bucket{endpoint=\"get_quote\",le=\"0.001\"} 0\n")
                  .contains(
                      "resilience_rate_limit_available_tokens{endpoint=\"get_quote\"} 16.0\n");
            });
  }

  @Test
  void whenGuardedBeanIsLazyThenItsSeriesAppearWhenItIsCreated() {
    runner
        .withUserConfiguration(MeterRegistryConfig.class, LazyQuoteClientConfig.class)
        .run(
            context -> {
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(meters.find("resilience.calls").tag("endpoint", "get_quote").counters())
                  .isEmpty();

              context.getBean(QuoteClient.class).quote("EURUSD");

              assertThat(
                      meters
                          .get("resilience.calls")
                          .tags("endpoint", "get_quote", "outcome", "success")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(
                      meters
                          .get("resilience.breaker.state")
                          .tag("breaker", "quotes")
                          .gauge()
                          .value())
                  .isZero();
            });
  }

  @Test
  void whenMicrometerIsAbsentThenTheContextStartsWithoutMetrics() {
    runner
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .withUserConfiguration(QuoteClientConfig.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(ResilienceRegistry.class);
              assertThat(context).doesNotHaveBean(ResilienceMetrics.class);
              assertThat(context.getBean(QuoteClient.class).quote("EURUSD"))
                  .isEqualTo("EURUSD 1.0842");
            });
  }

  @Test
  void whenNoMeterRegistryExistsThenNoMetricsBeanIsCreated() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ResilienceAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(ResilienceRegistry.class);
              assertThat(context).doesNotHaveBean(ResilienceMetrics.class);
            });
  }

  @Test
  void whenUserDefinesResilienceMetricsThenItReplacesOurs() {
    runner
        .withUserConfiguration(MeterRegistryConfig.class, CustomMetricsConfig.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ResilienceMetrics.class);
              assertThat(context.getBean(ResilienceMetrics.class))
                  .isSameAs(context.getBean(CustomMetricsConfig.class).metrics);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class MeterRegistryConfig {

    @Bean
    SimpleMeterRegistry simpleMeterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class QuoteClientConfig {

    @Bean
    QuoteClient quoteClient() {
      return new QuoteClient();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class LazyQuoteClientConfig {

    @Bean
    @Lazy
    QuoteClient quoteClient() {
      return new QuoteClient();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomMetricsConfig {

    ResilienceMetrics metrics;

    @Bean
    ResilienceMetrics customResilienceMetrics(ResilienceRegistry registry) {
      metrics = new ResilienceMetrics(registry);
      return metrics;
    }
  }

  /**
   * A downstream client with one guarded method. Public so that its CGLIB proxy, defined by the
   * filtered class loader in one test, may extend it.
   */
  public static class QuoteClient {

    @Guarded(endpoint = "get_quote", breaker = "quotes")
    public String quote(String symbol) {
      return symbol + " 1.0842";
    }
  }
}
