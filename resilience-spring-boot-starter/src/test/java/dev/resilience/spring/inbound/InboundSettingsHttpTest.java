package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.ResilienceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

/**
 * The settings that apply to every rule ({@code trusted-proxies}, {@code bypass-cidrs}, {@code
 * headers}), each in an application of its own, servlet and WebFlux, over real HTTP. The one rule
 * limits each key to one request an hour, so the second is always rejected.
 */
class InboundSettingsHttpTest {

  private static final String[] RULE = {
    "resilience.inbound.rules.api.paths=/api/**",
    "resilience.inbound.rules.api.key=ip",
    "resilience.inbound.rules.api.limits[0].quota=1",
    "resilience.inbound.rules.api.limits[0].window=1h"
  };

  /** A running application and a client for it. */
  private static final class App implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final RestClient http = RestClient.create();
    final String base;

    App(WebApplicationType type, String... properties) {
      List<String> all = new ArrayList<>(List.of(RULE));
      all.addAll(List.of(properties));
      all.add("server.port=0");
      context =
          new SpringApplicationBuilder(
                  type == WebApplicationType.REACTIVE
                      ? ReactiveInboundApplication.class
                      : InboundApplication.class)
              .web(type)
              .properties(all.toArray(String[]::new))
              .run();
      base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    HttpAnswer get(String path, Consumer<HttpHeaders> headers) {
      return HttpAnswer.send(http, HttpMethod.GET, base, path, headers);
    }

    HttpAnswer get(String path) {
      return get(path, headers -> {});
    }

    HttpAnswer forwardedFor(String... values) {
      return get("/api/x", headers -> headers.addAll("X-Forwarded-For", List.of(values)));
    }

    double requests(String outcome) {
      return context
          .getBean(MeterRegistry.class)
          .get(InboundMeters.REQUESTS)
          .tag("rule", "api")
          .tag("outcome", outcome)
          .counter()
          .count();
    }

    @Override
    public void close() {
      context.close();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenOneProxyIsTrustedThenTheClientIsTheAddressItAppendedAndWhatTheClientWroteIsIgnored(
      WebApplicationType type) {
    try (App app = new App(type, "resilience.inbound.trusted-proxies=1")) {
      assertThat(app.forwardedFor("9.9.9.9").status()).isEqualTo(200);
      assertThat(app.forwardedFor("9.9.9.9").status()).isEqualTo(429);
      // Another client behind the same proxy has its own bucket.
      assertThat(app.forwardedFor("8.8.8.8").status()).isEqualTo(200);
      // 9.9.9.9 claims other addresses to its left: the proxy's own entry is still read.
      assertThat(app.forwardedFor("1.2.3.4, 9.9.9.9").status()).isEqualTo(429);
      assertThat(app.forwardedFor("1.2.3.4", "9.9.9.9").status()).isEqualTo(429);
      assertThat(
              app.context
                  .getBean(ResilienceRegistry.class)
                  .findKeyedRateLimiter("api")
                  .isLive("1.2.3.4"))
          .isFalse();
      // No header at all: the peer is the client.
      assertThat(app.get("/api/x").status()).isEqualTo(200);
      assertThat(app.get("/api/x").status()).isEqualTo(429);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenNoProxyIsTrustedThenXForwardedForChangesNothing(WebApplicationType type) {
    try (App app = new App(type, "resilience.inbound.trusted-proxies=0")) {
      assertThat(app.forwardedFor("9.9.9.9").status()).isEqualTo(200);
      assertThat(app.forwardedFor("8.8.8.8").status()).isEqualTo(429);
      assertThat(app.get("/api/x").status()).isEqualTo(429);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenThePeerIsInABypassBlockThenNoRuleLimitsIt(WebApplicationType type) {
    try (App app = new App(type, "resilience.inbound.bypass-cidrs=10.0.0.0/8,127.0.0.1/32")) {
      for (int i = 0; i < 3; i++) {
        HttpAnswer answer = app.get("/api/x");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().containsHeader("RateLimit")).isFalse();
      }
      assertThat(app.requests("bypassed")).isEqualTo(3);
      assertThat(app.requests("admitted")).isZero();
      assertThat(app.get("/elsewhere").status()).isEqualTo(200);
      assertThat(app.requests("bypassed")).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenThePeerIsOutsideTheBypassBlocksThenItIsLimited(WebApplicationType type) {
    try (App app = new App(type, "resilience.inbound.bypass-cidrs=10.0.0.0/8,::2/128")) {
      assertThat(app.get("/api/x").status()).isEqualTo(200);
      assertThat(app.get("/api/x").status()).isEqualTo(429);
      assertThat(app.requests("bypassed")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenHeadersAreOnRejectThenOnlyThe429CarriesThem(WebApplicationType type) {
    try (App app = new App(type, "resilience.inbound.headers=on-reject")) {
      HttpAnswer admitted = app.get("/api/x");
      HttpAnswer rejected = app.get("/api/x");

      assertThat(admitted.status()).isEqualTo(200);
      assertThat(admitted.headers().containsHeader("RateLimit")).isFalse();
      assertThat(admitted.headers().containsHeader("RateLimit-Policy")).isFalse();
      assertThat(rejected.status()).isEqualTo(429);
      assertThat(rejected.headers().getFirst("RateLimit-Policy")).isEqualTo("\"api\";q=1;w=3600");
      assertThat(rejected.headers().getFirst("RateLimit")).isEqualTo("\"api\";r=0;t=3600");
      assertThat(rejected.headers().getFirst("Retry-After")).isEqualTo("3600");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenHeadersAreNeverThenOnlyRetryAfterIsSent(WebApplicationType type) {
    try (App app = new App(type, "resilience.inbound.headers=never")) {
      HttpAnswer admitted = app.get("/api/x");
      HttpAnswer rejected = app.get("/api/x");

      assertThat(admitted.headers().containsHeader("RateLimit")).isFalse();
      assertThat(rejected.status()).isEqualTo(429);
      assertThat(rejected.headers().containsHeader("RateLimit")).isFalse();
      assertThat(rejected.headers().containsHeader("RateLimit-Policy")).isFalse();
      assertThat(rejected.headers().getFirst("Retry-After")).isEqualTo("3600");
      assertThat(rejected.json().get("violated-policies").toString()).isEqualTo("[\"api\"]");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WebApplicationType.class,
      names = {"SERVLET", "REACTIVE"})
  void whenHeadersAreAlwaysThenTheAdmittedAnswerCarriesThemToo(WebApplicationType type) {
    try (App app = new App(type, "resilience.inbound.headers=always")) {
      HttpAnswer admitted = app.get("/api/x");

      assertThat(admitted.headers().getFirst("RateLimit-Policy")).isEqualTo("\"api\";q=1;w=3600");
      assertThat(admitted.headers().getFirst("RateLimit")).isEqualTo("\"api\";r=0;t=3600");
      assertThat(app.get("/elsewhere").headers().containsHeader("RateLimit")).isFalse();
    }
  }
}
