package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestClient;

/**
 * {@code principal} keys behind Spring Security: the filter runs after Security's chain, so it sees
 * the user Security authenticated. Were it to run before, every user would share the key {@code
 * anonymous}, and bob would be rejected for alice's requests.
 */
@SpringBootTest(
    classes = {InboundApplication.class, InboundSecurityHttpTest.Security.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience.inbound.rules.me.paths=/me/**",
      "resilience.inbound.rules.me.key=principal",
      "resilience.inbound.rules.me.limits[0].quota=1",
      "resilience.inbound.rules.me.limits[0].window=1h",
      "resilience.inbound.rules.private.paths=/private/**",
      "resilience.inbound.rules.private.key=principal",
      "resilience.inbound.rules.private.missing-key=reject",
      "resilience.inbound.rules.private.limits[0].quota=5",
      "resilience.inbound.rules.private.limits[0].window=1h",
    })
class InboundSecurityHttpTest {

  /**
   * Spring Security as an application sets it up, registered as Spring Boot's own security
   * auto-configuration registers it (order {@code spring.security.filter.order}, -100): Boot's
   * auto-configuration itself is left off the test class path, where it would secure every other
   * test application.
   */
  @EnableWebSecurity
  static class Security {

    @Bean
    SecurityFilterChain chain(HttpSecurity http) {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
          .httpBasic(Customizer.withDefaults())
          .csrf(csrf -> csrf.disable())
          .build();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("alice").password("{noop}pw").roles("USER").build(),
          User.withUsername("bob").password("{noop}pw").roles("USER").build());
    }

    @Bean
    DelegatingFilterProxyRegistrationBean securityFilterChainRegistration() {
      DelegatingFilterProxyRegistrationBean registration =
          new DelegatingFilterProxyRegistrationBean("springSecurityFilterChain");
      registration.setOrder(-100);
      return registration;
    }
  }

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  private final RestClient http = RestClient.create();

  private String base;

  @BeforeEach
  void setUp() {
    base = "http://localhost:" + port;
  }

  private HttpAnswer get(String path, Consumer<HttpHeaders> headers) {
    return HttpAnswer.send(http, HttpMethod.GET, base, path, headers);
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
