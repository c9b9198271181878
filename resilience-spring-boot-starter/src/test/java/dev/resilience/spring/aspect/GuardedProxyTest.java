package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.TestTicker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every declaration start-up lists is guarded, whatever proxies the application uses: an annotation
 * on an interface method, JDK or class-based proxies, and Boot's AOP auto-configuration switched
 * off.
 */
class GuardedProxyTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class))
          .withBean(TestTicker.class)
          .withBean(QuoteService.class)
          .withPropertyValues(
              "resilience.rate-limiter.capacity-per-second=1",
              "resilience.rate-limiter.burst=2",
              "resilience.rate-limiter.max-wait=0s");

  /** The annotation sits on the interface only, as with a Feign-style client contract. */
  public interface QuoteApi {
    @Guarded(endpoint = "iface_quote", breaker = "quotes")
    String quote(String symbol);

    int calls();
  }

  public static class QuoteService implements QuoteApi {
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public String quote(String symbol) {
      calls.incrementAndGet();
      return "quote " + symbol;
    }

    @Override
    public int calls() {
      return calls.get();
    }
  }

  @ParameterizedTest(name = "spring.aop.proxy-target-class={0}")
  @ValueSource(booleans = {false, true})
  void whenTheAnnotationIsOnTheInterfaceMethodThenTheBucketRejectsTheCallOverBurst(
      boolean proxyTargetClass) {
    runner
        .withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
        .run(
            context -> {
              QuoteApi api = context.getBean(QuoteApi.class);
              assertThat(context.getBean(ResilienceRegistry.class).guards())
                  .containsOnlyKeys("iface_quote");

              assertThat(api.quote("A")).isEqualTo("quote A");
              assertThat(api.quote("B")).isEqualTo("quote B");
              assertThatExceptionOfType(RateLimitedException.class)
                  .isThrownBy(() -> api.quote("C"))
                  .satisfies(e -> assertThat(e.endpoint()).isEqualTo("iface_quote"));

              assertThat(api.calls()).isEqualTo(2);
              assertThat(AopUtils.isJdkDynamicProxy(api)).isEqualTo(!proxyTargetClass);
              assertThat(AopUtils.isCglibProxy(api)).isEqualTo(proxyTargetClass);
            });
  }

  @ParameterizedTest(name = "spring.aop.proxy-target-class={0}")
  @ValueSource(booleans = {false, true})
  void whenTheAnnotationIsOnTheInterfaceMethodThenAnOpenBreakerRejectsBeforeTheMethod(
      boolean proxyTargetClass) {
    runner
        .withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
        .run(
            context -> {
              QuoteApi api = context.getBean(QuoteApi.class);
              context.getBean(ResilienceRegistry.class).circuitBreaker("quotes").forceOpen();

              assertThatExceptionOfType(CircuitOpenException.class)
                  .isThrownBy(() -> api.quote("A"))
                  .satisfies(e -> assertThat(e.breaker()).isEqualTo("quotes"));

              assertThat(api.calls()).isZero();
              assertThat(
                      context
                          .getBean(ResilienceRegistry.class)
                          .rateLimiter("iface_quote")
                          .availableTokens())
                  .isEqualTo(2.0);
            });
  }

  @ParameterizedTest(name = "spring.aop.proxy-target-class={0}")
  @ValueSource(booleans = {false, true})
  void whenBootsAopAutoConfigurationIsOffThenGuardedMethodsAreStillGuarded(
      boolean proxyTargetClass) {
    runner
        .withBean(ExchangeClient.class)
        .withPropertyValues(
            "spring.aop.auto=false", "spring.aop.proxy-target-class=" + proxyTargetClass)
        .run(
            context -> {
              context.getBean(ResilienceRegistry.class).circuitBreaker("exchange").forceOpen();
              context.getBean(ResilienceRegistry.class).circuitBreaker("quotes").forceOpen();

              assertThatExceptionOfType(CircuitOpenException.class)
                  .isThrownBy(() -> context.getBean(ExchangeClient.class).place("BTC"));
              assertThatExceptionOfType(CircuitOpenException.class)
                  .isThrownBy(() -> context.getBean(QuoteApi.class).quote("A"));

              assertThat(context.getBean(ExchangeClient.class).calls()).isZero();
              assertThat(context.getBean(QuoteApi.class).calls()).isZero();
              assertThat(AopUtils.isJdkDynamicProxy(context.getBean(QuoteApi.class)))
                  .isEqualTo(!proxyTargetClass);
            });
  }
}
