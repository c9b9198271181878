package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.classify.HttpFailureClassifier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceAspectAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ResilienceAutoConfiguration.class, ResilienceAspectAutoConfiguration.class))
          .withBean(ExchangeClient.class);

  @Test
  void itIsRegisteredWithSpringBootAfterTheRegistrysAutoConfiguration() {
    assertThat(
            ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
                .getCandidates())
        .containsSubsequence(
            ResilienceAutoConfiguration.class.getName(),
            ResilienceAspectAutoConfiguration.class.getName());
  }

  @Test
  void whenNothingIsDefinedThenOurClassifierResolverAndInfrastructureAdvisorApply() {
    runner.run(
        context -> {
          assertThat(context)
              .hasSingleBean(GuardedMethodResolver.class)
              .hasSingleBean(GuardedBeanPostProcessor.class);
          assertThat(context.getBean(FailureClassifier.class))
              .isInstanceOf(HttpFailureClassifier.class);
          assertThat(context.getBeanNamesForType(GuardedMethodAdvisor.class))
              .singleElement()
              .satisfies(
                  name ->
                      assertThat(context.getBeanFactory().getBeanDefinition(name).getRole())
                          .isEqualTo(BeanDefinition.ROLE_INFRASTRUCTURE));
          assertThat(context.getBean(ResilienceRegistry.class).guards())
              .containsKeys("place_order", "quote");
        });
  }

  @Test
  void whenTheApplicationDefinesItsOwnResolverThenOursBacksOffAndItsBindsTheGuards() {
    ResilienceRegistry registry = ResilienceRegistry.builder().build();
    GuardedMethodResolver own =
        new GuardedMethodResolver(registry, breaker -> FailureClassifier.jdk());
    runner
        .withBean(ResilienceRegistry.class, () -> registry)
        .withBean(GuardedMethodResolver.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(GuardedMethodResolver.class)).isSameAs(own);
              assertThat(registry.guards()).containsKeys("place_order", "quote");
            });
  }
}
