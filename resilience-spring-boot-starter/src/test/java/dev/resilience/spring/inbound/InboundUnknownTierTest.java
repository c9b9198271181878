package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.server.PathContainer;

/** A tier the resolver names that the rule does not define: default limits, and said once. */
@ExtendWith(OutputCaptureExtension.class)
class InboundUnknownTierTest {

  @Test
  void whenTheResolverNamesATierTheRuleLacksThenTheKeyGetsTheDefaultLimitsAndOneWarning(
      CapturedOutput output) {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ResilienceAutoConfiguration.class, InboundAutoConfiguration.class))
        .withBean(TierResolver.class, () -> (rule, key) -> "gold")
        .withPropertyValues(
            "resilience.inbound.rules.orders.paths=/orders/**",
            "resilience.inbound.rules.orders.key=header:X-Api-Key",
            "resilience.inbound.rules.orders.limits[0].quota=2",
            "resilience.inbound.rules.orders.limits[0].window=1h",
            "resilience.inbound.rules.orders.tiers.pro[0].quota=50",
            "resilience.inbound.rules.orders.tiers.pro[0].window=1h")
        .run(
            context -> {
              InboundLimiter limiter = context.getBean(InboundLimiter.class);

              limiter.decide(new Request("alice"));
              limiter.decide(new Request("bob"));

              assertThat(
                      context
                          .getBean(ResilienceRegistry.class)
                          .findKeyedRateLimiter("orders")
                          .availableTokens("alice", 0))
                  .as("the default quota of 2 less the one token taken")
                  .isCloseTo(1.0, within(0.01));
              assertThat(output.getOut())
                  .containsOnlyOnce(
                      "The TierResolver put a key of inbound rule 'orders' in tier 'gold', which"
                          + " the rule does not define (its tiers: [pro]): such keys get the"
                          + " rule's default limits.");
            });
  }

  /** A POST to /orders/1 with an API key. */
  private record Request(String apiKey) implements InboundRequest {

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public String rawPath() {
      return "/orders/1";
    }

    @Override
    public PathContainer path() {
      return PathContainer.parsePath(rawPath());
    }

    @Override
    public @Nullable String peer() {
      return "127.0.0.1";
    }

    @Override
    public @Nullable String header(String name) {
      return name.equalsIgnoreCase("X-Api-Key") ? apiKey : null;
    }

    @Override
    public @Nullable String joinedHeader(String name) {
      return header(name);
    }

    @Override
    public @Nullable String principal() {
      return null;
    }

    @Override
    public void rateLimitHeaders(String policy, String rateLimit) {}

    @Override
    public Slots slots() {
      throw new UnsupportedOperationException("no rule here has an adaptive limit");
    }
  }
}
