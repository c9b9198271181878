package dev.resilience.benchmarks.inbound;

import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.support.GenericWebApplicationContext;

/**
 * The smallest servlet application that has the inbound filter: auto-configuration and one rule,
 * {@code orders}, that limits {@code POST /orders/**} per {@code X-Api-Key} header, with a quota no
 * benchmark reaches. No beans of its own, no component scan.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class InboundApplication {

  /** The rule's name, also its keyed limiter's name in the registry. */
  public static final String RULE = "orders";

  /** The header the rule tells clients apart by. */
  public static final String KEY_HEADER = "X-Api-Key";

  /** Requests per second per key: far above what a benchmark sends to one of its keys. */
  public static final int QUOTA = 1_000_000;

  /** The filter's registration bean, named by the starter. */
  public static final String FILTER = "resilienceInboundFilter";

  /**
   * Starts the application with {@code resilience.inbound.headers} set to {@code headers} ({@code
   * always} or {@code never}).
   *
   * <p>The context is a plain {@link GenericWebApplicationContext}: a servlet web application to
   * every {@code @ConditionalOnWebApplication}, so the starter registers its servlet filter, but
   * with no embedded server (none is on the class path) and no socket.
   */
  public static ConfigurableApplicationContext start(String headers) {
    return start(properties(headers));
  }

  /**
   * The application with one rule that has only an adaptive concurrency limit (the gradient, up to
   * 1,000 requests at once, never reached here) on {@code POST /orders/**}.
   */
  public static ConfigurableApplicationContext startAdaptive() {
    String rule = "resilience.inbound.rules." + RULE;
    return start(
        Map.ofEntries(
            Map.entry("logging.level.root", "WARN"),
            Map.entry(rule + ".paths", "/orders/**"),
            Map.entry(rule + ".methods", "POST"),
            Map.entry(rule + ".adaptive.enabled", "true"),
            Map.entry(rule + ".adaptive.max-limit", "1000"),
            Map.entry(rule + ".adaptive.initial-limit", "1000")));
  }

  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    return new SpringApplicationBuilder(InboundApplication.class)
        .web(WebApplicationType.SERVLET)
        .contextFactory(type -> new GenericWebApplicationContext())
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(properties)
        .run();
  }

  private static Map<String, Object> properties(String headers) {
    String rule = "resilience.inbound.rules." + RULE;
    return Map.ofEntries(
        Map.entry("logging.level.root", "WARN"),
        Map.entry("resilience.inbound.headers", headers),
        Map.entry(rule + ".paths", "/orders/**"),
        Map.entry(rule + ".methods", "POST"),
        Map.entry(rule + ".key", "header:" + KEY_HEADER),
        Map.entry(rule + ".limits[0].quota", Integer.toString(QUOTA)),
        Map.entry(rule + ".limits[0].window", "1s"));
  }
}
