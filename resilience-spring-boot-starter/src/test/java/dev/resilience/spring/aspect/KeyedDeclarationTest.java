package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.aspect.AccountClient.OrderRequest;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A key expression that cannot work stops start-up naming the method and the expression, and an
 * endpoint is keyed in all its declarations or in none.
 */
class KeyedDeclarationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class));

  private static FailureAnalysis invalid(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    assertThat(context.getStartupFailure())
        .rootCause()
        .isInstanceOf(InvalidGuardedDeclarationException.class);
    return new InvalidGuardedDeclarationFailureAnalyzer().analyze(context.getStartupFailure());
  }

  static class Unparseable {
    @Guarded(endpoint = "place_order", key = "#request.account +")
    public String place(OrderRequest request) {
      return "placed";
    }
  }

  @Test
  void whenTheKeyExpressionDoesNotParseThenStartUpFailsNamingTheMethodAndTheExpression() {
    runner
        .withBean(Unparseable.class)
        .run(
            context -> {
              FailureAnalysis analysis = invalid(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on Unparseable.place(OrderRequest): key expression '#request.account +'"
                          + " does not parse at character 18: EL1042E: Problem parsing right operand");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Fix the expression: it is SpEL over the method's arguments, a parameter by name (#request.account,"
                          + " with the class compiled with -parameters) or by position (#p0 or #a0).");
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageStartingWith(
                      "@Guarded on Unparseable.place(OrderRequest): key expression '#request.account +'");
            });
  }

  static class Misspelt {
    @Guarded(endpoint = "place_order", key = "#reqest.account")
    public String place(OrderRequest request, String desk) {
      return "placed";
    }
  }

  @Test
  void whenTheKeyExpressionReadsAVariableThatIsNoParameterThenStartUpFailsListingTheParameters() {
    runner
        .withBean(Misspelt.class)
        .run(
            context -> {
              FailureAnalysis analysis = invalid(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on Misspelt.place(OrderRequest, String): key expression"
                          + " '#reqest.account' reads #reqest, which is no parameter of it");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Use one of its parameters: #request or #p0 (OrderRequest), #desk or #p1 (String).");
            });
  }

  static class NoParameters {
    @Guarded(endpoint = "health", key = "#p0")
    public String health() {
      return "up";
    }
  }

  @Test
  void whenTheMethodHasNoParametersThenAKeyExpressionReadingOneStopsStartUp() {
    runner
        .withBean(NoParameters.class)
        .run(
            context -> {
              FailureAnalysis analysis = invalid(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on NoParameters.health(): key expression '#p0' reads #p0, which is no"
                          + " parameter of it");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "The method has no parameters to key calls by: remove key, or add the parameter that names the"
                          + " caller.");
            });
  }

  static class Blank {
    @Guarded(endpoint = "place_order", key = "  ")
    public String place(String account) {
      return "placed";
    }
  }

  static class CallsAFunction {
    @Guarded(endpoint = "place_order", key = "#hash(#account)")
    public String place(String account) {
      return "placed";
    }
  }

  static class ReadsABean {
    @Guarded(endpoint = "place_order", key = "@accounts.current()")
    public String place(String account) {
      return "placed";
    }
  }

  @Test
  void whenTheKeyIsBlankOrCallsAFunctionOrABeanThenStartUpFailsSayingWhy() {
    runner
        .withBean(Blank.class)
        .run(
            context ->
                assertThat(invalid(context).getDescription())
                    .isEqualTo(
                        "Invalid @Guarded declaration on Blank.place(String): key = \"  \" is blank"));
    runner
        .withBean(CallsAFunction.class)
        .run(
            context ->
                assertThat(invalid(context).getDescription())
                    .isEqualTo(
                        "Invalid @Guarded declaration on CallsAFunction.place(String): key expression '#hash(#account)'"
                            + " calls #hash(#account), but key expressions have no functions or beans to call"));
    runner
        .withBean(ReadsABean.class)
        .run(
            context ->
                assertThat(invalid(context).getDescription())
                    .startsWith(
                        "Invalid @Guarded declaration on ReadsABean.place(String): key expression"
                            + " '@accounts.current()' calls @accounts"));
  }

  static class Keyed {
    @Guarded(endpoint = "place_order", breaker = "exchange", key = "#account")
    public String place(String account) {
      return "placed";
    }
  }

  static class NotKeyed {
    @Guarded(endpoint = "place_order", breaker = "exchange")
    public String placeForEveryone(String account) {
      return "placed";
    }
  }

  @Test
  void whenAnEndpointIsKeyedInOneDeclarationAndNotInAnotherThenStartUpFailsNamingBoth() {
    runner
        .withBean(Keyed.class)
        .withBean(NotKeyed.class)
        .run(
            context -> {
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(ConflictingEndpointDeclarationException.class);
              FailureAnalysis analysis =
                  new ConflictingEndpointDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Endpoint 'place_order' is declared twice differently: @Guarded on Keyed.place(String) with breaker"
                          + " 'exchange' (a bucket per key: #account), and @Guarded on NotKeyed.placeForEveryone(String)"
                          + " with breaker 'exchange'.");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "An endpoint has one breaker, one allowlist flag and one kind of bucket (one for all calls, or one per"
                          + " key): give both declarations of 'place_order' the same breaker and allowlist, and a key in"
                          + " both or in neither, or give one of them another endpoint name.");
            });
  }

  /** Binds in code, before any @Guarded bean is scanned, what a @Guarded method declares again. */
  static class BoundInCode {
    BoundInCode(ResilienceRegistry registry) {
      registry.keyedGuard("place_order", "exchange", false);
    }
  }

  @Test
  void whenCodeBoundTheEndpointKeyedAndAnAnnotationDoesNotThenStartUpFailsNamingBoth() {
    runner
        .withBean(BoundInCode.class)
        .withBean(NotKeyed.class)
        .run(
            context ->
                assertThat(
                        new ConflictingEndpointDeclarationFailureAnalyzer()
                            .analyze(context.getStartupFailure())
                            .getDescription())
                    .isEqualTo(
                        "Endpoint 'place_order' is declared twice differently: ResilienceRegistry.keyedGuard(...) in code"
                            + " with breaker 'exchange' (a bucket per key), and @Guarded on"
                            + " NotKeyed.placeForEveryone(String) with breaker 'exchange'."));
  }

  /** An inbound rule's limits per key, created before the @Guarded beans are scanned. */
  static class InboundRule {
    InboundRule(ResilienceRegistry registry) {
      registry.keyedRateLimiter("place_order", Limits.of(Limit.of(5, Duration.ofSeconds(1))));
    }
  }

  @Test
  void whenAKeyedEndpointHasTheNameOfAnInboundRuleThenStartUpFailsSayingTheyShareANamespace() {
    runner
        .withBean(InboundRule.class)
        .withBean(Keyed.class)
        .run(
            context -> {
              FailureAnalysis analysis = invalid(context);
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on Keyed.place(String): endpoint 'place_order' has a bucket per"
                          + " key, and limits per key named 'place_order' exist already (an inbound rule's)");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Inbound rules and keyed endpoints share one namespace, so that an operator can name either in"
                          + " /actuator/resilience/keys/{name}/{key}: rename the endpoint or the rule.");
            });
  }

  @Test
  void keyedDeclarationsThatAgreeStartAndDeclareOneKeyedEndpoint() {
    runner
        .withBean(Keyed.class)
        .withBean(AccountClient.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(
                      context.getBean(ResilienceRegistry.class).guards().get("place_order").keyed())
                  .isTrue();
            });
  }
}
