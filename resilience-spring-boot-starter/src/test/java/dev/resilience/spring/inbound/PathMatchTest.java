package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A rule's path match answers exactly as Spring's {@link PathPattern} does, for every pattern and
 * path here, whether it compared strings or parsed the path: a wrong "no match" would let requests
 * through unlimited.
 */
class PathMatchTest {

  private static final List<String> PATTERNS =
      List.of(
          "/orders/**",
          "/orders",
          "/orders/",
          "/**",
          "/",
          "/orders/{id}",
          "/api/v*/orders",
          "/a/b/**",
          "/orders/*/items",
          "/Orders/**",
          "/files/{*rest}");

  private static final List<String> PATHS =
      List.of(
          "",
          "/",
          "/orders",
          "/orders/",
          "/orders/1",
          "/orders/1/items",
          "/ordersX",
          "/ordersX/1",
          "//orders/1",
          "/orders//1",
          "/Orders/1",
          "/orders%2F1",
          "/ord%65rs",
          "/orders;x=1",
          "/orders/1;v=2",
          "/api/v1/orders",
          "/api/v/orders",
          "/a/b",
          "/a/bc",
          "/a/b/c/d",
          "/files",
          "/files/a/b",
          "/x/orders");

  static Stream<Arguments> cases() {
    return PATTERNS.stream().flatMap(p -> PATHS.stream().map(path -> Arguments.of(p, path)));
  }

  @ParameterizedTest(name = "{0} ~ \"{1}\"")
  @MethodSource("cases")
  void answersAsSpringsPathPatternDoes(String patternText, String path) {
    PathPattern pattern = PathPatternParser.defaultInstance.parse(patternText);
    boolean plain = path.indexOf('%') < 0 && path.indexOf(';') < 0;

    boolean matched = PathMatch.of(pattern).matches(path, plain, new Parsed(path));

    assertThat(matched).isEqualTo(pattern.matches(PathContainer.parsePath(path)));
  }

  /** A request whose only part a path match may read, besides its raw path, is its parsed path. */
  private record Parsed(String raw) implements InboundRequest {

    @Override
    public String method() {
      throw new UnsupportedOperationException();
    }

    @Override
    public String rawPath() {
      return raw;
    }

    @Override
    public PathContainer path() {
      return PathContainer.parsePath(raw);
    }

    @Override
    public @Nullable String peer() {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable String header(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable String joinedHeader(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable String principal() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void rateLimitHeaders(String policy, String rateLimit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Slots slots() {
      throw new UnsupportedOperationException("no rule here has an adaptive limit");
    }
  }
}
