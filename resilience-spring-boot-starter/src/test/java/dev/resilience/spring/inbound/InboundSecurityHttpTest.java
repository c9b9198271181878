package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.BasicAuthSecurity;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

/**
 * {@code principal} keys behind Spring Security: the filter runs after Security's chain, so it sees
 * the user Security authenticated. Were it to run before, every user would share the key {@code
 * anonymous}, and bob would be rejected for alice's requests.
 */
@SpringBootTest(
    classes = {InboundApplication.class, BasicAuthSecurity.class},
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
