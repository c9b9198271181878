package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.client.RestClient;

/**
 * {@code principal} keys behind Spring Security under WebFlux: the {@code WebFilter} runs after
 * Security's {@code WebFilterChainProxy}, so it sees the user Security authenticated. Were it to
 * run before, every user would share the key {@code anonymous}, and bob would be rejected for
 * alice's requests.
 */
class InboundWebFluxSecurityHttpTest {

  private static ConfigurableApplicationContext context;

  private final RestClient http = RestClient.create();

  /** Spring Security for WebFlux as an application sets it up: HTTP Basic, two users. */
  @EnableWebFluxSecurity
  static class Security {

    @Bean
    SecurityWebFilterChain chain(ServerHttpSecurity http) {
      return http.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
          .httpBasic(basic -> {})
          .csrf(ServerHttpSecurity.CsrfSpec::disable)
          .build();
    }

    @Bean
    MapReactiveUserDetailsService users() {
      return new MapReactiveUserDetailsService(
          User.withUsername("alice").password("{noop}pw").roles("USER").build(),
          User.withUsername("bob").password("{noop}pw").roles("USER").build());
    }
  }

  @BeforeAll
  static void startApplication() {
    context =
        new SpringApplicationBuilder(ReactiveInboundApplication.class, Security.class)
            .web(WebApplicationType.REACTIVE)
            .properties(
                "server.port=0",
                "resilience.inbound.rules.me.paths=/me/**",
                "resilience.inbound.rules.me.key=principal",
                "resilience.inbound.rules.me.limits[0].quota=1",
                "resilience.inbound.rules.me.limits[0].window=1h",
                "resilience.inbound.rules.private.paths=/private/**",
                "resilience.inbound.rules.private.key=principal",
                "resilience.inbound.rules.private.missing-key=reject",
                "resilience.inbound.rules.private.limits[0].quota=5",
                "resilience.inbound.rules.private.limits[0].window=1h")
            .run();
  }

  @AfterAll
  static void stopApplication() {
    context.close();
  }

  private HttpAnswer get(String path, Consumer<HttpHeaders> headers) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return HttpAnswer.send(http, HttpMethod.GET, "http://localhost:" + port, path, headers);
  }

  private static Consumer<HttpHeaders> as(String user) {
    return headers -> headers.setBasicAuth(user, "pw");
  }

  @Test
  void whenUsersAreAuthenticatedThenEachHasItsOwnBucket() {
    HttpAnswer alice = get("/me/x", as("alice"));
    assertThat(alice.status()).isEqualTo(200);
    assertThat(alice.body()).isEqualTo("ok alice");
    assertThat(get("/me/x", as("alice")).status()).isEqualTo(429);

    HttpAnswer bob = get("/me/x", as("bob"));

    assertThat(bob.status()).isEqualTo(200);
    ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
    assertThat(registry.findKeyedRateLimiter("me").isLive("alice")).isTrue();
    assertThat(registry.findKeyedRateLimiter("me").isLive("bob")).isTrue();
    assertThat(registry.findKeyedRateLimiter("me").isLive("anonymous")).isFalse();
  }

  @Test
  void whenNoUserIsAuthenticatedAndTheRuleRejectsSuchRequestsThenTheAnswerIs400() {
    HttpAnswer anonymous = get("/private/x", headers -> {});

    assertThat(anonymous.status()).isEqualTo(400);
    assertThat(anonymous.json().get("detail").asString())
        .isEqualTo(
            "Rule 'private' tells clients apart by an authenticated user, which this request does"
                + " not carry");
    assertThat(get("/private/x", as("alice")).status()).isEqualTo(200);
  }
}
