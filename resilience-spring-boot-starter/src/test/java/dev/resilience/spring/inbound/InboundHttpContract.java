package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

/**
 * The inbound filter in a running application, over real HTTP: the same behaviour under the servlet
 * API ({@link InboundServletHttpTest}) and WebFlux ({@link InboundWebFluxHttpTest}). The windows
 * are long (an hour, a day) so that no token comes back while a test runs: nothing sleeps, nothing
 * is timed. Each test uses its own keys or paths, since the buckets live as long as the
 * application.
 */
abstract class InboundHttpContract {

  static final String[] RULES = {
    "resilience.inbound.rules.api_keys.paths=/keys/**",
    "resilience.inbound.rules.api_keys.key=header:X-Api-Key",
    "resilience.inbound.rules.api_keys.limits[0].quota=2",
    "resilience.inbound.rules.api_keys.limits[0].window=1h",
    "resilience.inbound.rules.multi.paths=/multi/**",
    "resilience.inbound.rules.multi.key=header:X-Api-Key",
    "resilience.inbound.rules.multi.limits[0].quota=3",
    "resilience.inbound.rules.multi.limits[0].window=1h",
    "resilience.inbound.rules.multi.limits[1].quota=2",
    "resilience.inbound.rules.multi.limits[1].window=1d",
    "resilience.inbound.rules.peer.paths=/ip/**",
    "resilience.inbound.rules.peer.key=ip",
    "resilience.inbound.rules.peer.limits[0].quota=1",
    "resilience.inbound.rules.peer.limits[0].window=1h",
    "resilience.inbound.rules.shadowed.paths=/shadow/**",
    "resilience.inbound.rules.shadowed.key=header:X-Api-Key",
    "resilience.inbound.rules.shadowed.shadow=true",
    "resilience.inbound.rules.shadowed.limits[0].quota=1",
    "resilience.inbound.rules.shadowed.limits[0].window=1h",
    "resilience.inbound.rules.tiered.paths=/tiers/**",
    "resilience.inbound.rules.tiered.key=header:X-Api-Key",
    "resilience.inbound.rules.tiered.limits[0].quota=1",
    "resilience.inbound.rules.tiered.limits[0].window=1h",
    "resilience.inbound.rules.tiered.tiers.pro[0].quota=3",
    "resilience.inbound.rules.tiered.tiers.pro[0].window=1h",
    "resilience.inbound.rules.strict.paths=/strict/**",
    "resilience.inbound.rules.strict.key=header:X-Api-Key",
    "resilience.inbound.rules.strict.missing-key=reject",
    "resilience.inbound.rules.strict.limits[0].quota=5",
    "resilience.inbound.rules.strict.limits[0].window=1h",
    "resilience.inbound.rules.posts.paths=/methods/**",
    "resilience.inbound.rules.posts.methods=POST",
    "resilience.inbound.rules.posts.key=header:X-Api-Key",
    "resilience.inbound.rules.posts.limits[0].quota=1",
    "resilience.inbound.rules.posts.limits[0].window=1h",
    "resilience.inbound.rules.both-a.paths=/both/**",
    "resilience.inbound.rules.both-a.key=header:X-Api-Key",
    "resilience.inbound.rules.both-a.limits[0].quota=5",
    "resilience.inbound.rules.both-a.limits[0].window=1h",
    "resilience.inbound.rules.both-b.paths=/both/**",
    "resilience.inbound.rules.both-b.key=header:X-Api-Key",
    "resilience.inbound.rules.both-b.limits[0].quota=2",
    "resilience.inbound.rules.both-b.limits[0].window=1m",
    "resilience.inbound.rules.tenant.paths=/expr/**",
    "resilience.inbound.rules.tenant.key=header('X-Tenant') + ':' + method",
    "resilience.inbound.rules.tenant.limits[0].quota=1",
    "resilience.inbound.rules.tenant.limits[0].window=1h",
  };

  private final RestClient http = RestClient.create();

  private String base;
  private ResilienceRegistry registry;
  private MeterRegistry meters;

  /** The running application, started once per test class with {@link #RULES}. */
  abstract ConfigurableApplicationContext application();

  /**
   * Starts the application with {@link #RULES} in a property source that keeps their order, as an
   * application.yml does: rules apply in declaration order. (Default properties and command-line
   * arguments are held in hash maps, which do not.)
   */
  static ConfigurableApplicationContext start(Class<?> application, WebApplicationType type) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (String property : RULES) {
      int equals = property.indexOf('=');
      properties.put(property.substring(0, equals), property.substring(equals + 1));
    }
    properties.put("server.port", "0");
    return new SpringApplicationBuilder(application)
        .web(type)
        .initializers(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("rules", properties)))
        .run();
  }

  @BeforeEach
  void setUp() {
    ConfigurableApplicationContext context = application();
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    registry = context.getBean(ResilienceRegistry.class);
    meters = context.getBean(MeterRegistry.class);
  }

  private HttpAnswer get(String path, Consumer<HttpHeaders> headers) {
    return HttpAnswer.send(http, HttpMethod.GET, base, path, headers);
  }

  private HttpAnswer get(String path, String apiKey) {
    return get(path, headers -> headers.set("X-Api-Key", apiKey));
  }

  private double requests(String rule, String outcome) {
    return meters
        .get(InboundMeters.REQUESTS)
        .tag("rule", rule)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  @Test
  void whenAPatternEndsInDoubleStarThenItAlsoLimitsThePathWithoutIt() {
    // /keys/** matches /keys itself, as it does in Spring MVC: the filter's quick literal check
    // must not require the slash before the **
    get("/keys", "root-client");
    get("/keys", "root-client");

    HttpAnswer limited = get("/keys", "root-client");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("rule").asString()).isEqualTo("api_keys");
  }

  @Test
  void whenTwoClientsCallAtOnceThenOnlyTheOneOverItsQuotaIsRejected() {
    HttpAnswer first = get("/keys/orders", "client-a");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.headers().getFirst("RateLimit-Policy")).isEqualTo("\"api_keys\";q=2;w=3600");
    assertThat(first.headers().getFirst("RateLimit")).isEqualTo("\"api_keys\";r=1;t=0");
    assertThat(get("/keys/orders", "client-a").status()).isEqualTo(200);

    HttpAnswer limited = get("/keys/orders", "client-a");
    HttpAnswer other = get("/keys/orders", "client-b");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().getFirst("Content-Type")).isEqualTo("application/problem+json");
    assertThat(limited.headers().getFirst("Retry-After")).isEqualTo("1800");
    assertThat(limited.headers().getFirst("RateLimit-Policy")).isEqualTo("\"api_keys\";q=2;w=3600");
    assertThat(limited.headers().getFirst("RateLimit")).isEqualTo("\"api_keys\";r=0;t=1800");
    assertThat(limited.json().get("type").asString())
        .isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded");
    assertThat(limited.json().get("title").asString()).isEqualTo("Too Many Requests");
    assertThat(limited.json().get("status").asInt()).isEqualTo(429);
    assertThat(limited.json().get("detail").asString())
        .isEqualTo("Rate limit of rule 'api_keys' reached");
    assertThat(limited.json().get("instance").asString()).isEqualTo("/keys/orders");
    assertThat(limited.json().get("rule").asString()).isEqualTo("api_keys");
    assertThat(limited.json().get("violated-policies").toString()).isEqualTo("[\"api_keys\"]");
    assertThat(limited.json().get("retryAfterMs").asLong()).isBetween(1_799_000L, 1_800_000L);
    assertThat(limited.body()).doesNotContain("client-a");
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.body()).isEqualTo("ok");
  }

  @Test
  void whenTheSecondLimitRejectsThenTheFirstKeepsItsToken() {
    assertThat(get("/multi/x", "m").status()).isEqualTo(200);
    HttpAnswer second = get("/multi/x", "m");
    assertThat(second.headers().getFirst("RateLimit-Policy"))
        .isEqualTo("\"multi\";q=3;w=3600, \"multi/1d\";q=2;w=86400");
    assertThat(second.headers().getFirst("RateLimit"))
        .isEqualTo("\"multi\";r=1;t=0, \"multi/1d\";r=0;t=43200");

    HttpAnswer rejected = get("/multi/x", "m");
    HttpAnswer again = get("/multi/x", "m");

    assertThat(rejected.status()).isEqualTo(429);
    assertThat(rejected.json().get("violated-policies").toString()).isEqualTo("[\"multi/1d\"]");
    assertThat(rejected.headers().getFirst("Retry-After")).isEqualTo("43200");
    // The 1h limit still has the token the rejected requests did not take.
    assertThat(again.headers().getFirst("RateLimit"))
        .isEqualTo("\"multi\";r=1;t=0, \"multi/1d\";r=0;t=43200");
    KeyedRateLimiter multi = registry.findKeyedRateLimiter("multi");
    assertThat(Math.floor(multi.availableTokens("m", 0))).isEqualTo(1.0);
  }

  @Test
  void whenTheClientWritesXForwardedForWithNoTrustedProxyThenItsPeerAddressIsStillTheKey() {
    HttpAnswer first = get("/ip/a", headers -> headers.set("X-Forwarded-For", "1.1.1.1"));
    HttpAnswer spoofed = get("/ip/a", headers -> headers.set("X-Forwarded-For", "2.2.2.2"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(spoofed.status()).isEqualTo(429);
  }

  @Test
  void whenARuleIsInShadowModeThenItRejectsNothingAndCountsWhatItWouldHave() {
    double shadowed = requests("shadowed", "shadow_rejected");
    double admitted = requests("shadowed", "admitted");

    for (int i = 0; i < 3; i++) {
      HttpAnswer answer = get("/shadow/x", "s");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers().containsHeader("RateLimit")).isFalse();
      assertThat(answer.headers().containsHeader("RateLimit-Policy")).isFalse();
    }

    assertThat(requests("shadowed", "admitted") - admitted).isEqualTo(1);
    assertThat(requests("shadowed", "shadow_rejected") - shadowed).isEqualTo(2);
    assertThat(requests("shadowed", "rejected")).isZero();
  }

  @Test
  void whenTheTierResolverPutsAKeyInATierThenItGetsThatTiersLimits() {
    assertThat(get("/tiers/x", "basic-1").status()).isEqualTo(200);
    assertThat(get("/tiers/x", "basic-1").status()).isEqualTo(429);

    HttpAnswer pro = get("/tiers/x", "pro-1");
    assertThat(pro.status()).isEqualTo(200);
    assertThat(pro.headers().getFirst("RateLimit-Policy")).isEqualTo("\"tiered\";q=3;w=3600");
    assertThat(pro.headers().getFirst("RateLimit")).isEqualTo("\"tiered\";r=2;t=0");
    assertThat(get("/tiers/x", "pro-1").status()).isEqualTo(200);
    assertThat(get("/tiers/x", "pro-1").status()).isEqualTo(200);
    assertThat(get("/tiers/x", "pro-1").status()).isEqualTo(429);
  }

  @Test
  void whenTheKeyIsMissingAndTheRuleRejectsSuchRequestsThenTheAnswerIs400NamingTheHeader() {
    HttpAnswer missing = get("/strict/x", headers -> {});

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.headers().getFirst("Content-Type")).isEqualTo("application/problem+json");
    assertThat(missing.body())
        .isEqualTo(
            "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Rule"
                + " 'strict' tells clients apart by the X-Api-Key header, which this request"
                + " does not carry\",\"rule\":\"strict\",\"instance\":\"/strict/x\"}");
    assertThat(get("/strict/x", "  ").status()).isEqualTo(400);
    assertThat(get("/strict/x", "k").status()).isEqualTo(200);
  }

  @Test
  void whenTheKeyIsMissingThenTheRequestIsLimitedUnderAnonymous() {
    assertThat(get("/keys/anon", headers -> {}).status()).isEqualTo(200);
    assertThat(get("/keys/anon", headers -> {}).status()).isEqualTo(200);

    assertThat(get("/keys/anon", headers -> {}).status()).isEqualTo(429);
    assertThat(registry.findKeyedRateLimiter("api_keys").isLive("anonymous")).isTrue();
  }

  @Test
  void whenARuleNamesMethodsThenOtherMethodsPassUnlimited() {
    for (int i = 0; i < 3; i++) {
      HttpAnswer answer = get("/methods/x", "meth");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers().containsHeader("RateLimit")).isFalse();
    }
    HttpAnswer post =
        HttpAnswer.send(http, HttpMethod.POST, base, "/methods/x", h -> h.set("X-Api-Key", "meth"));
    HttpAnswer again =
        HttpAnswer.send(http, HttpMethod.POST, base, "/methods/x", h -> h.set("X-Api-Key", "meth"));

    assertThat(post.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(429);
  }

  @Test
  void whenTwoRulesMatchThenBothApplyAndTheFirstKeepsItsTokenWhenTheSecondRejects() {
    HttpAnswer first = get("/both/x", "b");

    assertThat(first.headers().getFirst("RateLimit-Policy"))
        .isEqualTo("\"both-a\";q=5;w=3600, \"both-b\";q=2;w=60");
    assertThat(first.headers().getFirst("RateLimit"))
        .isEqualTo("\"both-a\";r=4;t=0, \"both-b\";r=1;t=0");
    assertThat(get("/both/x", "b").status()).isEqualTo(200);
    HttpAnswer rejected = get("/both/x", "b");

    assertThat(rejected.status()).isEqualTo(429);
    assertThat(rejected.json().get("rule").asString()).isEqualTo("both-b");
    assertThat(rejected.headers().getFirst("RateLimit-Policy")).isEqualTo("\"both-b\";q=2;w=60");
    assertThat(Math.floor(registry.findKeyedRateLimiter("both-a").availableTokens("b", 0)))
        .isEqualTo(2.0);
  }

  @Test
  void whenTheKeyIsAnExpressionThenItIsEvaluatedOverTheRequest() {
    assertThat(get("/expr/x", h -> h.set("X-Tenant", "t1")).status()).isEqualTo(200);
    assertThat(get("/expr/x", h -> h.set("X-Tenant", "t1")).status()).isEqualTo(429);
    assertThat(get("/expr/x", h -> h.set("X-Tenant", "t2")).status()).isEqualTo(200);
    assertThat(
            HttpAnswer.send(http, HttpMethod.POST, base, "/expr/x", h -> h.set("X-Tenant", "t1"))
                .status())
        .isEqualTo(200);
    assertThat(registry.findKeyedRateLimiter("tenant").isLive("t1:GET")).isTrue();
  }

  @Test
  void whenThePathIsPercentEncodedThenTheRuleStillMatchesItAsTheControllersDo() {
    assertThat(get("/keys/enc", "enc").status()).isEqualTo(200);
    assertThat(get("/keys/enc", "enc").status()).isEqualTo(200);

    assertThat(get("/key%73/enc", "enc").status()).isEqualTo(429);
    assertThat(get("/keys;v=1/enc", "enc").status()).isEqualTo(429);
  }

  @Test
  void everyRulesSeriesExistsForEveryOutcome() {
    for (String rule :
        new String[] {
          "api_keys",
          "multi",
          "peer",
          "shadowed",
          "tiered",
          "strict",
          "posts",
          "both-a",
          "both-b",
          "tenant"
        }) {
      for (String outcome : new String[] {"admitted", "rejected", "bypassed", "shadow_rejected"}) {
        assertThat(
                meters
                    .find(InboundMeters.REQUESTS)
                    .tag("rule", rule)
                    .tag("outcome", outcome)
                    .counter())
            .as("%s %s", rule, outcome)
            .isNotNull();
      }
    }
  }
}
