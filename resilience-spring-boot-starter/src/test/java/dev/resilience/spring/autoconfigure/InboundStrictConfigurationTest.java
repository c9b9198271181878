package dev.resilience.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.inbound.TierResolver;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

/**
 * Bad {@code resilience.inbound} values stop start-up in the strict check's one report, each named
 * with its value as written, its origin, the reason and the fix; next to any other bad property.
 */
class InboundStrictConfigurationTest {

  private static final String ACTION =
      "Update the application's configuration (application.yml, application.properties, command-line arguments or"
          + " environment variables):\n";

  private static final String ORDERS = "resilience.inbound.rules.orders";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
          .withPropertyValues(
              ORDERS + ".paths[0]=/orders/**",
              ORDERS + ".limits[0].quota=5",
              ORDERS + ".limits[0].window=1s");

  /** One wrong property as the report shows it. */
  record Expected(String property, String value, boolean origin, String reason, String fix) {

    String description() {
      return "Invalid resilience configuration: 1 property is wrong.\n" + entry();
    }

    String entry() {
      return "\n    Property: "
          + property
          + "\n    Value: \""
          + value
          + "\""
          + (origin ? "\n    Origin: \"" + property + "\" from property source \"test\"" : "")
          + "\n    Reason: "
          + reason
          + "\n";
    }

    String action() {
      return "\n    - " + property + ": " + fix;
    }
  }

  private static FailureAnalysis analysis(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis =
        new InvalidResiliencePropertiesFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
    return analysis;
  }

  private static final String KEY_FIX =
      "use ip, header:<name> (header:X-Api-Key), principal, or a SpEL expression over method,"
          + " path, ip, principal and header('Name')";
  private static final String CIDR_FIX =
      "write an IPv4 or IPv6 address or block, such as 10.0.0.0/8, 127.0.0.1 or fd00::/8";

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            List.of(ORDERS + ".paths[0]=orders/**"),
            new Expected(
                ORDERS + ".paths[0]",
                "orders/**",
                true,
                "a path pattern must start with '/': request paths always do",
                "write it as /orders/**")),
        Arguments.of(
            List.of(ORDERS + ".paths[0]=/orders/**/items"),
            new Expected(
                ORDERS + ".paths[0]",
                "/orders/**/items",
                true,
                "not a path pattern: {*...} or ** pattern elements should be placed at the start"
                    + " or end of the pattern",
                "write a Spring PathPattern, such as /orders/**, /orders/{id} or /api/*/status")),
        Arguments.of(
            List.of("resilience.inbound.bypass-cidrs[0]=10.0.0.0/33"),
            new Expected(
                "resilience.inbound.bypass-cidrs[0]",
                "10.0.0.0/33",
                true,
                "not an address or CIDR block: the prefix length '33' is not a whole number from 0"
                    + " to 32",
                CIDR_FIX)),
        Arguments.of(
            List.of("resilience.inbound.bypass-cidrs[0]=example.com"),
            new Expected(
                "resilience.inbound.bypass-cidrs[0]",
                "example.com",
                true,
                "not an address or CIDR block: 'example.com' is not an IPv4 or IPv6 address (host"
                    + " names are not looked up)",
                CIDR_FIX)),
        Arguments.of(
            List.of("resilience.inbound.bypass-cidrs[0]=10.0.0.1/8"),
            new Expected(
                "resilience.inbound.bypass-cidrs[0]",
                "10.0.0.1/8",
                true,
                "not an address or CIDR block: '10.0.0.1/8' has bits set after its prefix length,"
                    + " which is ambiguous; write the block's first address, 10.0.0.0/8",
                CIDR_FIX)),
        Arguments.of(
            List.of("resilience.inbound.bypass-cidrs[0]=fd00::1/8"),
            new Expected(
                "resilience.inbound.bypass-cidrs[0]",
                "fd00::1/8",
                true,
                "not an address or CIDR block: 'fd00::1/8' has bits set after its prefix length,"
                    + " which is ambiguous; write the block's first address, fd00:0:0:0:0:0:0:0/8",
                CIDR_FIX)),
        Arguments.of(
            List.of(ORDERS + ".limits[0].quota=0"),
            new Expected(
                ORDERS + ".limits[0].quota",
                "0",
                true,
                "must be at least 1",
                "set it to at least 1")),
        Arguments.of(
            List.of(ORDERS + ".limits[0].window=-1s"),
            new Expected(
                ORDERS + ".limits[0].window",
                "-1s",
                true,
                "must be a positive duration",
                "set it to a positive duration")),
        Arguments.of(
            List.of(ORDERS + ".limits[0].window=0s"),
            new Expected(
                ORDERS + ".limits[0].window",
                "0s",
                true,
                "must be a positive duration",
                "set it to a positive duration")),
        Arguments.of(
            List.of(ORDERS + ".limits[1].window=1h"),
            new Expected(
                ORDERS + ".limits[1].quota",
                "",
                false,
                "the limit has no quota",
                "give every limit a quota and a window, such as {quota: 5, window: 1s}")),
        Arguments.of(
            List.of(ORDERS + ".limits[1].quota=10", ORDERS + ".limits[1].window=1000ms"),
            new Expected(
                ORDERS + ".limits[1].window",
                "1000ms",
                true,
                "the rule has two limits with a window of 1s ([0] and [1]); a policy is named after"
                    + " its window",
                "keep one limit per window: the smaller quota is the one that holds")),
        Arguments.of(
            List.of(ORDERS + ".methods[0]=FETCH"),
            new Expected(
                ORDERS + ".methods[0]",
                "FETCH",
                true,
                "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE",
                "set it to one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE")),
        Arguments.of(
            List.of(ORDERS + ".key=header:"),
            new Expected(
                ORDERS + ".key", "header:", true, "not a key: 'header:' names no header", KEY_FIX)),
        Arguments.of(
            List.of(ORDERS + ".key=header('X-Tenant') +"),
            new Expected(
                ORDERS + ".key",
                "header('X-Tenant') +",
                true,
                "not a key: the SpEL expression does not parse: Expression [header('X-Tenant') +]"
                    + " @19: EL1042E: Problem parsing right operand",
                KEY_FIX)),
        Arguments.of(
            List.of(ORDERS + ".key=princpal"),
            new Expected(
                ORDERS + ".key",
                "princpal",
                true,
                "not a key: the SpEL expression reads 'princpal', which a request does not have;"
                    + " it may read method, path, ip, principal and header('Name')",
                KEY_FIX)),
        Arguments.of(
            List.of("resilience.inbound.rules.empty.paths[0]=/x"),
            new Expected(
                "resilience.inbound.rules.empty.limits",
                "",
                false,
                "the rule has no limits, so it would limit nothing",
                "give it at least one limit, such as [{quota: 5, window: 1s}], or an adaptive"
                    + " concurrency limit (adaptive.enabled: true)")),
        Arguments.of(
            List.of(ORDERS + ".adaptive.enabled=true", ORDERS + ".adaptive.min-limit=0"),
            new Expected(
                ORDERS + ".adaptive.min-limit",
                "0",
                true,
                "must be at least 1",
                "set it to at least 1")),
        Arguments.of(
            List.of(ORDERS + ".adaptive.enabled=true", ORDERS + ".adaptive.max-limit=20"),
            new Expected(
                ORDERS + ".adaptive.initial-limit",
                "50",
                false,
                "must be from minLimit (10) to maxLimit (20)",
                "set it to from minLimit (10) to maxLimit (20)")),
        Arguments.of(
            List.of(ORDERS + ".adaptive.enabled=true", ORDERS + ".adaptive.tolerance=0.5"),
            new Expected(
                ORDERS + ".adaptive.tolerance",
                "0.5",
                true,
                "must be at least 1 and finite",
                "set it to at least 1 and finite")),
        Arguments.of(
            List.of(ORDERS + ".adaptive.partitions.pro=0.5"),
            new Expected(
                ORDERS + ".adaptive.partitions",
                "pro",
                false,
                "partitions share an adaptive limit, and the rule's adaptive limit is off, so they"
                    + " would do nothing",
                "set " + ORDERS + ".adaptive.enabled=true, or remove the partitions")),
        Arguments.of(
            List.of(
                "resilience.inbound.rules.chat.adaptive.enabled=true",
                "resilience.inbound.rules.chat.tiers.pro[0].quota=5",
                "resilience.inbound.rules.chat.tiers.pro[0].window=1s"),
            new Expected(
                "resilience.inbound.rules.chat.tiers",
                "pro",
                false,
                "tiers replace the rule's limits for their keys, and the rule has no limits (only"
                    + " an adaptive limit)",
                "give the rule limits, or share its adaptive limit by tier with"
                    + " adaptive.partitions")),
        Arguments.of(
            List.of(
                "resilience.inbound.rules.[orders!].limits[0].quota=1",
                "resilience.inbound.rules.[orders!].limits[0].window=1s"),
            new Expected(
                "resilience.inbound.rules.[orders!]",
                "orders!",
                false,
                "the rule name 'orders!' is not 1 to 64 of the characters [A-Za-z0-9_.-]",
                "rename the rule to 1 to 64 of the characters [A-Za-z0-9_.-]; it appears in"
                    + " headers, metrics and actuator paths")),
        Arguments.of(
            List.of(
                "resilience.inbound.rules.keys.limits[0].quota=1",
                "resilience.inbound.rules.keys.limits[0].window=1s"),
            new Expected(
                "resilience.inbound.rules.keys",
                "keys",
                false,
                "the rule name 'keys' is reserved: [events, keys] are paths of the resilience"
                    + " actuator endpoint",
                "give the rule another name")),
        Arguments.of(
            List.of(ORDERS + ".tiers.pro[0].quota=50", ORDERS + ".tiers.pro[0].window=1s"),
            new Expected(
                ORDERS + ".tiers",
                "pro",
                false,
                "the rule has tiers (pro), but the application defines no TierResolver bean to put"
                    + " keys in them",
                "define a bean of type dev.resilience.spring.inbound.TierResolver, or remove the"
                    + " rule's tiers")),
        Arguments.of(
            List.of(ORDERS + ".adaptive.enabled=true", ORDERS + ".adaptive.partitions.pro=0.3"),
            new Expected(
                ORDERS + ".adaptive.partitions",
                "pro",
                false,
                "the rule's adaptive limit is shared by tier (pro), but the application defines no"
                    + " TierResolver bean to put keys in tiers",
                "define a bean of type dev.resilience.spring.inbound.TierResolver, or remove the"
                    + " partitions")),
        Arguments.of(
            List.of("resilience.inbound.headers=sometimes"),
            new Expected(
                "resilience.inbound.headers",
                "sometimes",
                true,
                "must be one of always, on-reject, never",
                "set it to one of always, on-reject, never")),
        Arguments.of(
            List.of(ORDERS + ".missing-key=drop"),
            new Expected(
                ORDERS + ".missing-key",
                "drop",
                true,
                "must be one of anonymous, reject",
                "set it to one of anonymous, reject")),
        Arguments.of(
            List.of("resilience.inbound.trusted-proxies=-1"),
            new Expected(
                "resilience.inbound.trusted-proxies",
                "-1",
                true,
                "must be 0 (no proxy: the socket's peer is the client) or the number of proxies in"
                    + " front",
                "set it to 0 (no proxy: the socket's peer is the client) or the number of proxies"
                    + " in front")),
        Arguments.of(
            List.of(ORDERS + ".limit[0].quota=5"),
            new Expected(
                ORDERS + ".limit[0].quota",
                "5",
                true,
                "unknown property; did you mean " + ORDERS + ".limits[0].quota?",
                "rename it to " + ORDERS + ".limits[0].quota")),
        Arguments.of(
            List.of(ORDERS + ".adaptive.enabled=true", ORDERS + ".adaptive.min-limt=3"),
            new Expected(
                ORDERS + ".adaptive.min-limt",
                "3",
                true,
                "unknown property; did you mean " + ORDERS + ".adaptive.min-limit?",
                "rename it to " + ORDERS + ".adaptive.min-limit")));
  }

  /** Bad shares of an adaptive limit, in an application that has a TierResolver. */
  static Stream<Arguments> badShares() {
    return Stream.of(
        Arguments.of(
            List.of(ORDERS + ".adaptive.enabled=true", ORDERS + ".adaptive.partitions.pro=1.5"),
            new Expected(
                ORDERS + ".adaptive.partitions.pro",
                "1.5",
                true,
                "must be a share of the limit greater than 0 and at most 1, such as 0.3",
                "set it to a share of the limit greater than 0 and at most 1, such as 0.3")),
        Arguments.of(
            List.of(
                ORDERS + ".adaptive.enabled=true",
                ORDERS + ".adaptive.partitions.pro=0.7",
                ORDERS + ".adaptive.partitions.gold=0.4"),
            new Expected(
                ORDERS + ".adaptive.partitions",
                "{pro=0.7, gold=0.4}",
                false,
                "the shares add up to 1.10: more than the whole limit cannot be guaranteed",
                "lower the shares so that they add up to at most 1; keys of no listed tier share"
                    + " what is left")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badShares")
  void whenAShareOfAnAdaptiveLimitIsBadThenStartUpFailsNamingIt(
      List<String> properties, Expected expected) {
    runner
        .withPropertyValues(properties.toArray(String[]::new))
        .withBean(TierResolver.class, () -> (rule, key) -> null)
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription()).isEqualTo(expected.description());
              assertThat(analysis.getAction()).isEqualTo(ACTION + expected.action());
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void whenAnInboundValueIsBadThenStartUpFailsNamingItsPropertyValueOriginAndFix(
      List<String> properties, Expected expected) {
    runner
        .withPropertyValues(properties.toArray(String[]::new))
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription()).isEqualTo(expected.description());
              assertThat(analysis.getAction()).isEqualTo(ACTION + expected.action());
            });
  }

  @Test
  void whenInboundAndOtherValuesAreBadThenOneReportNamesThemAll() {
    runner
        .withPropertyValues(
            "resilience.breaker.probe-count=0",
            ORDERS + ".limits[0].quota=0",
            "resilience.inbound.bypass-cidrs[0]=10.0.0.0/33")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription())
                  .startsWith("Invalid resilience configuration: 3 properties are wrong.\n")
                  .contains(
                      "Property: resilience.breaker.probe-count",
                      "Property: " + ORDERS + ".limits[0].quota",
                      "Property: resilience.inbound.bypass-cidrs[0]");
            });
  }

  @Test
  void whenAHigherSourceReplacesAListThenTheReportShowsTheValueThatWasBound() {
    // a list comes whole from the highest source that has it (as the binder takes it): the YAML's
    // good paths[0] must not be shown for the command line's bad paths
    runner
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new MapPropertySource(
                            "commandLineArgs", Map.of(ORDERS + ".paths", "/orders/{x"))))
        .run(
            context -> {
              String description = analysis(context).getDescription();
              assertThat(description)
                  .contains(
                      "Property: "
                          + ORDERS
                          + ".paths[0]\n    Value: \"/orders/{x\"\n    Origin: \""
                          + ORDERS
                          + ".paths\" from property source \"commandLineArgs\"");
            });
  }

  @Test
  void whenATiersLimitIsBadThenItIsNamedUnderTheTier() {
    Expected expected =
        new Expected(
            ORDERS + ".tiers.pro[0].quota",
            "-5",
            true,
            "must be at least 1",
            "set it to at least 1");
    runner
        .withPropertyValues(ORDERS + ".tiers.pro[0].quota=-5", ORDERS + ".tiers.pro[0].window=1s")
        .withBean(TierResolver.class, () -> (rule, key) -> null)
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context);
              assertThat(analysis.getDescription()).isEqualTo(expected.description());
              assertThat(analysis.getAction()).isEqualTo(ACTION + expected.action());
            });
  }

  @Test
  void whenARuleHasTiersAndATierResolverExistsThenStartUpSucceeds() {
    runner
        .withPropertyValues(ORDERS + ".tiers.pro[0].quota=50", ORDERS + ".tiers.pro[0].window=1s")
        .withBean(TierResolver.class, () -> (rule, key) -> null)
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void whenTheInboundValuesAreGoodThenStartUpSucceeds() {
    runner
        .withPropertyValues(
            "resilience.inbound.trusted-proxies=1",
            "resilience.inbound.bypass-cidrs=10.0.0.0/8,127.0.0.1,::1/128,fd00::/8",
            "resilience.inbound.headers=on-reject",
            ORDERS + ".methods=post,DELETE",
            ORDERS + ".key=header('X-Tenant') + ':' + principal",
            ORDERS + ".limits[1].quota=1000",
            ORDERS + ".limits[1].window=1h",
            ORDERS + ".missing-key=reject",
            ORDERS + ".shadow=true")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void whenARuleHasAnAdaptiveLimitAloneOrBesideItsLimitsThenStartUpSucceeds() {
    runner
        .withPropertyValues(
            ORDERS + ".adaptive.enabled=true",
            ORDERS + ".adaptive.min-limit=2",
            ORDERS + ".adaptive.max-limit=400",
            ORDERS + ".adaptive.initial-limit=40",
            ORDERS + ".adaptive.tolerance=2.0",
            "resilience.inbound.rules.everything.adaptive.enabled=true",
            "resilience.inbound.rules.everything.key=header:X-Api-Key",
            "resilience.inbound.rules.everything.adaptive.partitions.pro=0.6",
            "resilience.inbound.rules.everything.adaptive.partitions.free=0.4")
        .withBean(TierResolver.class, () -> (rule, key) -> null)
        .run(context -> assertThat(context).hasNotFailed());
  }
}
