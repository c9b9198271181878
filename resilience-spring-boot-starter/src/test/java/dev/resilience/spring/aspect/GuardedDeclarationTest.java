package dev.resilience.spring.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.Guarded;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A @Guarded declaration that no proxy could honour stops start-up, naming the method and the fix.
 */
class GuardedDeclarationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  ResilienceAutoConfiguration.class,
                  ResilienceAspectAutoConfiguration.class));

  public static class PrivateMethod {
    public String visible() {
      return hidden();
    }

    @Guarded(endpoint = "hidden")
    private String hidden() {
      return "hidden";
    }
  }

  public static class FinalMethod {
    @Guarded(endpoint = "sealed")
    public final String sealed() {
      return "sealed";
    }
  }

  public static class StaticMethod {
    @Guarded(endpoint = "shared")
    public static String shared() {
      return "shared";
    }
  }

  @Guarded(endpoint = "reports")
  public static class ClassLevelWithFinalMethod {
    public String daily() {
      return "daily";
    }

    public final String monthly() {
      return "monthly";
    }
  }

  static Stream<Arguments> unreachable() {
    return Stream.of(
        Arguments.of(
            PrivateMethod.class,
            "@Guarded on PrivateMethod.hidden(): private methods are not reachable by Spring proxies, so it would never be guarded"),
        Arguments.of(
            FinalMethod.class,
            "@Guarded on FinalMethod.sealed(): final methods are not reachable by class-based (CGLIB) proxies, Spring Boot's"
                + " default, so it would never be guarded"),
        Arguments.of(
            StaticMethod.class,
            "@Guarded on StaticMethod.shared(): static methods are not called through Spring proxies, so it would never be guarded"),
        Arguments.of(
            ClassLevelWithFinalMethod.class,
            "@Guarded on ClassLevelWithFinalMethod.monthly(): the class-level @Guarded covers this public final method, and final"
                + " methods are not reachable by class-based (CGLIB) proxies, Spring Boot's default"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreachable")
  void whenNoProxyCanReachTheAnnotatedMethodThenStartUpFailsNamingIt(
      Class<?> bean, String message) {
    runner
        .withBean(bean)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidGuardedDeclarationException.class)
                  .hasMessage(message);
            });
  }

  public static class MonoClient {
    @Guarded(endpoint = "mono")
    public Mono<String> call(String symbol) {
      return Mono.just(symbol);
    }
  }

  public static class FluxClient {
    @Guarded(endpoint = "flux")
    public Flux<String> call(String symbol) {
      return Flux.just(symbol);
    }
  }

  /** A publisher of another library: only the Reactive Streams interface is known. */
  public static final class OtherPublisher implements Publisher<String> {
    @Override
    public void subscribe(Subscriber<? super String> subscriber) {}
  }

  public static class PublisherClient {
    @Guarded(endpoint = "publisher")
    public OtherPublisher call(String symbol) {
      return new OtherPublisher();
    }
  }

  public static class JdkPublisherClient {
    @Guarded(endpoint = "jdk_publisher")
    public Flow.Publisher<String> call(String symbol) {
      return subscriber -> {};
    }
  }

  public static class FutureClient {
    @Guarded(endpoint = "future")
    public Future<String> call(String symbol) {
      return CompletableFuture.completedFuture(symbol);
    }
  }

  public static class FutureTaskClient {
    @Guarded(endpoint = "future_task")
    public FutureTask<String> call(String symbol) {
      return new FutureTask<>(() -> symbol);
    }
  }

  /** A CompletableFuture subtype: a rejection or a fallback could not be returned as one. */
  public static final class QuoteFuture extends CompletableFuture<String> {}

  public static class StageSubtypeClient {
    @Guarded(endpoint = "stage_subtype")
    public QuoteFuture call(String symbol) {
      return new QuoteFuture();
    }
  }

  private static final String LAZY =
      "it is lazy: nothing runs until it is subscribed to or collected, so the outcome recorded when the method"
          + " returns would not be the call's (a failure would count as a success)";

  static Stream<Arguments> unsupportedReturnTypes() {
    return Stream.of(
        Arguments.of(
            MonoSubtypeClient.class,
            QuoteMono.class.getName(),
            "only Mono and Flux themselves are guarded reactively: a rejection or a fallback is a plain Mono or Flux,"
                + " which a QuoteMono cannot hold"),
        Arguments.of(PublisherClient.class, OtherPublisher.class.getName(), LAZY),
        Arguments.of(JdkPublisherClient.class, "java.util.concurrent.Flow$Publisher", LAZY),
        Arguments.of(
            FutureClient.class,
            "java.util.concurrent.Future",
            "a Future that is not a CompletionStage tells nobody when it completes, so its outcome could not be recorded"),
        Arguments.of(
            FutureTaskClient.class,
            "java.util.concurrent.FutureTask",
            "a Future that is not a CompletionStage tells nobody when it completes, so its outcome could not be recorded"),
        Arguments.of(
            StageSubtypeClient.class,
            QuoteFuture.class.getName(),
            "only CompletionStage and CompletableFuture themselves are guarded asynchronously: a rejection or a fallback is a"
                + " plain CompletableFuture, which a QuoteFuture cannot hold"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("unsupportedReturnTypes")
  void whenTheReturnTypeIsNotGuardableThenStartUpFailsNamingTheTypeAndTheSupportedOnes(
      Class<?> bean, String type, String why) {
    runner
        .withBean(bean)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidGuardedDeclarationException.class)
                  .hasMessage(
                      "@Guarded on "
                          + bean.getSimpleName()
                          + ".call(String): return type "
                          + type
                          + " is not supported: "
                          + why);
            });
  }

  @Test
  void plainValuesVoidBothStageTypesMonoAndFluxAreAccepted() {
    runner
        .withBean(ExchangeClient.class)
        .withBean(VoidClient.class)
        .withBean(MonoClient.class)
        .withBean(FluxClient.class)
        .run(context -> assertThat(context).hasNotFailed());
  }

  /** A Mono subtype: a rejection or a fallback could not be returned as one. */
  public static final class QuoteMono extends Mono<String> {
    @Override
    public void subscribe(reactor.core.CoreSubscriber<? super String> actual) {
      Mono.just("quote").subscribe(actual);
    }
  }

  public static class MonoSubtypeClient {
    @Guarded(endpoint = "mono_subtype")
    public QuoteMono call(String symbol) {
      return new QuoteMono();
    }
  }

  public static class VoidClient {
    @Guarded(endpoint = "notify")
    public void call(String symbol) {}
  }

  public static class ReservedBreaker {
    @Guarded(endpoint = "quote", breaker = "events")
    public String quote() {
      return "42";
    }
  }

  public static class ReservedEndpoint {
    @Guarded(endpoint = "keys")
    public String quote() {
      return "42";
    }
  }

  @Test
  void whenABreakerOrEndpointTakesAReservedNameThenStartUpFailsNamingTheDeclaration() {
    runner
        .withBean(ReservedBreaker.class)
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on ReservedBreaker.quote(): the breaker name"
                          + " 'events' is reserved: [events, keys] are paths of the resilience"
                          + " actuator endpoint");
              assertThat(analysis.getAction()).isEqualTo("Give the breaker another name.");
            });
    runner
        .withBean(ReservedEndpoint.class)
        .run(
            context ->
                assertThat(
                        new InvalidGuardedDeclarationFailureAnalyzer()
                            .analyze(context.getStartupFailure())
                            .getDescription())
                    .isEqualTo(
                        "Invalid @Guarded declaration on ReservedEndpoint.quote(): the endpoint"
                            + " name 'keys' is reserved: [events, keys] are paths of the"
                            + " resilience actuator endpoint"));
  }

  @Test
  void theAnalysisOfAnUnreachableMethodNamesItWhyAndTheFix() {
    runner
        .withBean(PrivateMethod.class)
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on PrivateMethod.hidden(): private methods are not reachable by Spring proxies,"
                          + " so it would never be guarded");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Make it public and non-final, or move the annotation to a public method that calls it.");
            });
  }

  @Test
  void theAnalysisOfAnUnsupportedReturnTypeListsTheSupportedOnes() {
    runner
        .withBean(PublisherClient.class)
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on PublisherClient.call(String): return type "
                          + OtherPublisher.class.getName()
                          + " is not supported: "
                          + LAZY);
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Guard methods that return a plain value or void (guarded synchronously), a CompletionStage or"
                          + " CompletableFuture (guarded asynchronously: the outcome is recorded when the stage completes),"
                          + " or a Reactor Mono or Flux (guarded on each subscription: the outcome is recorded on its"
                          + " terminal signal). Return one of these types, or remove @Guarded from this method.");
            });
  }

  /** A class-level annotation on an interface reaches no method: rejected rather than ignored. */
  @Guarded(endpoint = "contract")
  public interface AnnotatedContract {
    String call();
  }

  public static class ContractImpl implements AnnotatedContract {
    @Override
    public String call() {
      return "called";
    }
  }

  @Test
  void whenAnInterfaceCarriesAClassLevelAnnotationThenStartUpFailsNamingIt() {
    runner
        .withBean(ContractImpl.class)
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on AnnotatedContract: a class-level @Guarded on an interface is never applied"
                          + " (ContractImpl implements it)");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Move it to the implementing class, or onto the interface's methods one by one.");
            });
  }

  static class BadName {
    @Guarded(endpoint = "place order")
    public String place() {
      return "placed";
    }
  }

  static class MissingFallback {
    @Guarded(endpoint = "quote", fallback = "cached")
    public String quote(String symbol) {
      return symbol;
    }
  }

  static class MismatchedFallback {
    @Guarded(endpoint = "quote", fallback = "cached")
    public String quote(String symbol) {
      return symbol;
    }

    Integer cached(String symbol) {
      return 0;
    }
  }

  @Test
  void anInvalidEndpointNameStopsStartUpNamingTheMethod() {
    runner
        .withBean(BadName.class)
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on BadName.place(): endpoint name \"place order\" is not valid");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Use 1 to 64 of the characters [A-Za-z0-9_.-] for @Guarded(endpoint = ...).");
            });
  }

  @Test
  void aFallbackThatDoesNotExistStopsStartUp() {
    runner
        .withBean(MissingFallback.class)
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Invalid @Guarded declaration on MissingFallback.quote(String): fallback method 'cached(String)' does not"
                          + " exist on MissingFallback");
              assertThat(analysis.getAction()).startsWith("Add a method cached(String)");
            });
  }

  @Test
  void aFallbackWithAnotherReturnTypeStopsStartUp() {
    runner
        .withBean(MismatchedFallback.class)
        .run(
            context -> {
              FailureAnalysis analysis =
                  new InvalidGuardedDeclarationFailureAnalyzer()
                      .analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .endsWith("returns Integer but the guarded method returns String");
              assertThat(analysis.getAction()).isEqualTo("Make cached return String.");
            });
  }

  static class Conflict {
    @Guarded(endpoint = "quote", breaker = "pricing")
    public String quote() {
      return "q";
    }
  }

  static class ConflictElsewhere {
    @Guarded(endpoint = "quote", breaker = "exchange", allowlist = true)
    public String quoteAgain() {
      return "q";
    }
  }

  @Test
  void anEndpointDeclaredTwiceDifferentlyStopsStartUpNamingBothDeclarations() {
    runner
        .withBean(Conflict.class)
        .withBean(ConflictElsewhere.class)
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
                      "Endpoint 'quote' is declared twice differently: @Guarded on Conflict.quote() with breaker 'pricing', and"
                          + " @Guarded on ConflictElsewhere.quoteAgain() with breaker 'exchange' (allowlisted).");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "An endpoint has one breaker, one allowlist flag and one kind of bucket (one for all calls, or one per"
                          + " key): give both declarations of 'quote' the same breaker and allowlist, and a key in both or in"
                          + " neither, or give one of them another endpoint name.");
              assertThat(
                      new InvalidGuardedDeclarationFailureAnalyzer()
                          .analyze(context.getStartupFailure()))
                  .as("its own type, not a generic invalid declaration")
                  .isNull();
            });
  }

  @Test
  void eachAnalyzerIsRegisteredForSpringBoot() throws Exception {
    Properties factories = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring.factories")) {
      factories.load(in);
    }
    assertThat(
            factories
                .getProperty("org.springframework.boot.diagnostics.FailureAnalyzer")
                .split(","))
        .contains(
            InvalidGuardedDeclarationFailureAnalyzer.class.getName(),
            ConflictingEndpointDeclarationFailureAnalyzer.class.getName());
  }
}
