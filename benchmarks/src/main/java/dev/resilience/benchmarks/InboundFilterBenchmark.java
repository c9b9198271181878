package dev.resilience.benchmarks;

import dev.resilience.benchmarks.inbound.InboundApplication;
import dev.resilience.benchmarks.inbound.ReusableRequest;
import dev.resilience.benchmarks.inbound.ReusableResponse;
import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.autoconfigure.InboundRuleLimits;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One request through the starter's inbound servlet filter, taken from a started application with
 * one rule ({@link InboundApplication}: {@code POST /orders/**}, keyed on {@code X-Api-Key}) and
 * called in-process as a servlet container would, without a server or a socket. The requests cycle
 * through {@value #KEYS} keys; request, response and chain are built once per thread and reused
 * ({@link ReusableRequest}, {@link ReusableResponse}), so the B/op are the filter's own.
 *
 * <p>Every benchmark does the same harness work (set the key header, clear the response, call the
 * chain once), so that {@link #chainOnly} can be subtracted from the others: what remains is the
 * filter's cost. The set-up proves that the rule applies and writes the headers claimed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class InboundFilterBenchmark {

  /** Distinct API keys the requests cycle through; each gets its own bucket. */
  static final int KEYS = 1000;

  private static final String[] API_KEYS = new String[KEYS];

  static {
    for (int i = 0; i < KEYS; i++) {
      API_KEYS[i] = "client-" + i;
    }
  }

  private ConfigurableApplicationContext withHeaders;
  private ConfigurableApplicationContext withoutHeaders;
  private ConfigurableApplicationContext adaptive;
  private Filter filter;
  private Filter filterWithoutHeaders;
  private Filter adaptiveFilter;

  /** One thread's request, response and chain, reused for every call. */
  @State(Scope.Thread)
  public static class Exchange {

    /** A request the rule matches: {@code POST /orders/42}. */
    final ReusableRequest order =
        new ReusableRequest("POST", "/orders/42", InboundApplication.KEY_HEADER);

    /** A request no rule matches: the right method, a path outside {@code /orders/**}. */
    final ReusableRequest product =
        new ReusableRequest("POST", "/products/42", InboundApplication.KEY_HEADER);

    final ReusableResponse response = new ReusableResponse();

    /** How many requests reached the chain, that is, the application. */
    int passed;

    final FilterChain chain = (request, response) -> passed++;

    private int next;

    @Setup
    public void start() {
      // Threads start at different keys, as different clients would.
      next = ThreadLocalRandom.current().nextInt(KEYS);
    }

    /** Gives {@code request} the next key and forgets the last response. */
    ReusableRequest prepare(ReusableRequest request) {
      if (++next == KEYS) {
        next = 0;
      }
      request.header(API_KEYS[next]);
      response.clear();
      return request;
    }
  }

  @Setup(Level.Trial)
  public void start() throws ServletException, IOException {
    withHeaders = InboundApplication.start("always");
    withoutHeaders = InboundApplication.start("never");
    adaptive = InboundApplication.startAdaptive();
    filter = filterOf(withHeaders);
    filterWithoutHeaders = filterOf(withoutHeaders);
    adaptiveFilter = filterOf(adaptive);
    checkFilterApplies();
  }

  @TearDown(Level.Trial)
  public void stop() {
    withHeaders.close();
    withoutHeaders.close();
    adaptive.close();
  }

  /**
   * A request the rule matches and admits: method and path matched, key read, a token taken from
   * the key's bucket, {@code RateLimit-Policy} and {@code RateLimit} written.
   */
  @Benchmark
  public int admitted(Exchange exchange) throws ServletException, IOException {
    filter.doFilter(exchange.prepare(exchange.order), exchange.response, exchange.chain);
    return exchange.passed;
  }

  /** The same with {@code resilience.inbound.headers: never}: no header written. */
  @Benchmark
  public int admittedWithoutHeaders(Exchange exchange) throws ServletException, IOException {
    filterWithoutHeaders.doFilter(
        exchange.prepare(exchange.order), exchange.response, exchange.chain);
    return exchange.passed;
  }

  /**
   * A request that a rule with only an adaptive concurrency limit admits: a slot taken, the clock
   * read, the chain run, the clock read again and the slot given back with the round-trip time.
   */
  @Benchmark
  public int admittedByAdaptiveLimit(Exchange exchange) throws ServletException, IOException {
    adaptiveFilter.doFilter(exchange.prepare(exchange.order), exchange.response, exchange.chain);
    return exchange.passed;
  }

  /** A request no rule matches: the filter's floor, paid by every request of the application. */
  @Benchmark
  public int unmatched(Exchange exchange) throws ServletException, IOException {
    filter.doFilter(exchange.prepare(exchange.product), exchange.response, exchange.chain);
    return exchange.passed;
  }

  /** No filter, the chain called directly: the harness's own cost, to subtract. */
  @Benchmark
  public int chainOnly(Exchange exchange) throws ServletException, IOException {
    exchange.chain.doFilter(exchange.prepare(exchange.order), exchange.response);
    return exchange.passed;
  }

  /**
   * The filter of the registration bean the starter declares, initialised as a servlet container
   * would: with a {@link FilterConfig} named after the registration.
   */
  private static Filter filterOf(ConfigurableApplicationContext context) throws ServletException {
    FilterRegistrationBean<?> registration =
        context.getBean(InboundApplication.FILTER, FilterRegistrationBean.class);
    Sanity.check(registration.isEnabled(), "the inbound filter's registration is enabled");
    Sanity.check(
        registration.getOrder() == -99, "the inbound filter is ordered right after security's");
    Filter filter = registration.getFilter();
    Sanity.check(
        filter.getClass().getSimpleName().equals("InboundServletFilter"),
        "the registration holds the starter's inbound filter, not " + filter.getClass());
    filter.init(new Config(registration.getFilterName()));
    return filter;
  }

  /**
   * Each filter does what the benchmark claims: passes every request on, writes the rule's headers
   * only when told to and only for the rule's requests, cleans up its request attribute, and takes
   * from one bucket per key.
   */
  private void checkFilterApplies() throws ServletException, IOException {
    Exchange exchange = new Exchange();
    admitted(exchange);
    ReusableResponse response = exchange.response;
    Sanity.check(exchange.passed == 1, "an admitted request reaches the chain");
    Sanity.check(response.getStatus() == 200, "an admitted request keeps its status");
    Sanity.check(
        ("\"" + InboundApplication.RULE + "\";q=" + InboundApplication.QUOTA + ";w=1")
            .equals(response.getHeader("RateLimit-Policy")),
        "an admitted request carries RateLimit-Policy, not "
            + response.getHeader("RateLimit-Policy"));
    String rateLimit = response.getHeader("RateLimit");
    Sanity.check(
        rateLimit != null
            && rateLimit.startsWith("\"" + InboundApplication.RULE + "\";r=")
            && rateLimit.endsWith(";t=0"),
        "an admitted request carries RateLimit with tokens left, not " + rateLimit);
    Sanity.check(exchange.order.attributeCount() == 0, "the filter removes its request attribute");

    admittedWithoutHeaders(exchange);
    Sanity.check(exchange.passed == 2, "an admitted request without headers reaches the chain");
    Sanity.check(response.headerCount() == 0, "headers: never writes no header");

    unmatched(exchange);
    Sanity.check(exchange.passed == 3, "an unmatched request reaches the chain");
    Sanity.check(response.headerCount() == 0, "an unmatched request gets no header");

    AdaptiveLimit limit =
        adaptive.getBean(InboundRuleLimits.class).adaptiveLimit(InboundApplication.RULE);
    Sanity.check(limit != null, "the adaptive rule has an adaptive limit");
    admittedByAdaptiveLimit(exchange);
    Sanity.check(exchange.passed == 4, "a request the adaptive limit admits reaches the chain");
    Sanity.check(response.getStatus() == 200, "and keeps its status");
    Sanity.check(limit.inFlight() == 0, "and gives its slot back");

    for (int i = 0; i < KEYS; i++) {
      admitted(exchange);
    }
    KeyedRateLimiter buckets =
        withHeaders.getBean(ResilienceRegistry.class).findKeyedRateLimiter(InboundApplication.RULE);
    Sanity.check(buckets != null, "the rule's buckets are in the registry");
    Sanity.check(
        buckets.liveKeys() == KEYS,
        "one bucket per key: " + KEYS + " keys, " + buckets.liveKeys() + " buckets");
  }

  /** What a servlet container hands a filter at start-up: its name, no init parameters. */
  private record Config(String name) implements FilterConfig {

    @Override
    public String getFilterName() {
      return name;
    }

    @Override
    public ServletContext getServletContext() {
      throw new UnsupportedOperationException("no servlet context in the benchmark");
    }

    @Override
    public String getInitParameter(String parameter) {
      return null;
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
      return Collections.emptyEnumeration();
    }
  }
}
