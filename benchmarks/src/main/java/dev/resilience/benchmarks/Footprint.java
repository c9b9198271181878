package dev.resilience.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.resilience.core.BreakerInternals;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitState;
import dev.resilience.core.FailureCodes;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.Ticker;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints, as a markdown table, the heap bytes one circuit breaker and one rate limiter hold, ours
 * beside the peers', measured with JOL.
 *
 * <p>Two numbers per component. <em>Own</em>: what one more instance adds, i.e. the graph of two
 * instances built from the same config minus the graph of one; the config, the clock and the
 * library's constants (enum values, empty arrays, singletons) are shared and so are not counted.
 * <em>Graph</em>: everything reachable from one instance, shared objects included. Own is what a
 * thousand breakers cost per breaker; graph is an upper bound for a lone one.
 *
 * <p>Sizes depend on the JVM's object layout (compressed references, alignment), printed first. JOL
 * needs {@code -Djdk.attach.allowAttachSelf=true} to size records.
 */
public final class Footprint {

  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final int CALLS = 100;

  private final List<Row> rows = new ArrayList<>();

  private Footprint() {}

  /** Prints the table to standard output. */
  public static void main(String[] args) {
    Footprint footprint = new Footprint();
    footprint.ours();
    footprint.resilience4j();
    footprint.others();
    footprint.print();
  }

  private void ours() {
    FakeTicker ticker = new FakeTicker();
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder().window(WINDOW).failThreshold(1_000).build();
    String breaker = "ours: CircuitBreaker, 60 s window";
    measure(breaker, "fresh", () -> BreakerInternals.newBreaker(nextName(), config, ticker));
    measure(
        breaker,
        "window full: 100 calls a second, a 503 and a timeout among them",
        () -> fillWindow(BreakerInternals.newBreaker(nextName(), config, ticker), ticker));
    RateLimiterConfig bucketConfig = Admitting.ourConfig();
    measure(
        "ours: token bucket",
        "after a permit",
        () -> {
          RateLimiter bucket = RateLimiter.tokenBucket(nextName(), bucketConfig, ticker);
          bucket.tryAcquire();
          return bucket;
        });
  }

  private void resilience4j() {
    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig count =
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
            .slidingWindowType(SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(CALLS)
            .build();
    String countBreaker = "Resilience4j: CircuitBreaker, count window 100";
    measure(countBreaker, "fresh", () -> resilience4jBreaker(count));
    measure(
        countBreaker,
        "after 100 calls, 5 failed",
        () -> resilience4jCalls(resilience4jBreaker(count), null));

    MutableClock clock = new MutableClock();
    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig time =
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
            .slidingWindowType(SlidingWindowType.TIME_BASED)
            .slidingWindowSize((int) WINDOW.toSeconds())
            .clock(clock)
            .build();
    String timeBreaker = "Resilience4j: CircuitBreaker, time window 60 s";
    measure(timeBreaker, "fresh", () -> resilience4jBreaker(time));
    measure(
        timeBreaker,
        "window full: 100 calls a second, 5 failed",
        () -> resilience4jCalls(resilience4jBreaker(time), clock));

    io.github.resilience4j.ratelimiter.RateLimiterConfig limiterConfig =
        Admitting.resilience4jConfig();
    measure(
        "Resilience4j: RateLimiter",
        "after a permit",
        () -> {
          io.github.resilience4j.ratelimiter.RateLimiter limiter =
              io.github.resilience4j.ratelimiter.RateLimiter.of(nextName(), limiterConfig);
          limiter.acquirePermission();
          return limiter;
        });
  }

  private void others() {
    measure(
        "Bucket4j: local bucket",
        "after a permit",
        () -> {
          Bucket bucket = Admitting.bucket4j();
          bucket.tryConsume(1);
          return bucket;
        });
    measure(
        "Guava: RateLimiter",
        "after a permit",
        () -> {
          com.google.common.util.concurrent.RateLimiter limiter = Admitting.guava();
          limiter.tryAcquire();
          return limiter;
        });

    dev.failsafe.CircuitBreakerConfig<Object> config =
        dev.failsafe.CircuitBreaker.builder().withFailureThreshold(10, WINDOW).build().getConfig();
    String breaker = "Failsafe: CircuitBreaker, 60 s thresholding";
    measure(breaker, "fresh", () -> dev.failsafe.CircuitBreaker.builder(config).build());
    measure(
        breaker,
        "after 100 calls, 5 failed (its clock cannot be moved)",
        () -> {
          dev.failsafe.CircuitBreaker<Object> failsafe =
              dev.failsafe.CircuitBreaker.builder(config).build();
          for (int call = 0; call < CALLS; call++) {
            if (call % 20 == 0) {
              failsafe.recordFailure();
            } else {
              failsafe.recordSuccess();
            }
          }
          return failsafe;
        });
  }

  /** Builds two instances with {@code factory} and adds a row with their sizes. */
  private void measure(String component, String state, Supplier<Object> factory) {
    Object first = factory.get();
    Object second = factory.get();
    long one = GraphLayout.parseInstance(first).totalSize();
    long two = GraphLayout.parseInstance(first, second).totalSize();
    rows.add(new Row(component, state, two - one, one));
  }

  /** Records 100 calls in every second of the window, one 503 and one timeout among them. */
  private static CircuitBreaker fillWindow(CircuitBreaker breaker, FakeTicker ticker) {
    for (long second = 0; second < WINDOW.toSeconds(); second++) {
      for (int call = 0; call < CALLS; call++) {
        long permit = BreakerInternals.tryAcquirePermission(breaker, false);
        if (call == 0) {
          BreakerInternals.onFailure(breaker, permit, "503");
        } else if (call == CALLS / 2) {
          BreakerInternals.onFailure(breaker, permit, FailureCodes.TIMEOUT);
        } else {
          BreakerInternals.onSuccess(breaker, permit, 0);
        }
      }
      ticker.nanos += TimeUnit.SECONDS.toNanos(1);
    }
    Sanity.check(breaker.state() == CircuitState.CLOSED, "our filled breaker stays closed");
    return breaker;
  }

  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreaker(
      io.github.resilience4j.circuitbreaker.CircuitBreakerConfig config) {
    return io.github.resilience4j.circuitbreaker.CircuitBreaker.of(nextName(), config);
  }

  /**
   * Records 100 calls, 5 of them failures; given a clock, does so in every second of the window.
   */
  private static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jCalls(
      io.github.resilience4j.circuitbreaker.CircuitBreaker breaker, MutableClock clock) {
    IOException failure = new IOException("downstream failed");
    long seconds = clock == null ? 1 : WINDOW.toSeconds();
    for (long second = 0; second < seconds; second++) {
      for (int call = 0; call < CALLS; call++) {
        if (call % 20 == 0) {
          breaker.onError(0, TimeUnit.NANOSECONDS, failure);
        } else {
          breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        }
      }
      if (clock != null) {
        clock.now = clock.now.plusSeconds(1);
      }
    }
    Sanity.check(
        breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED,
        "the filled Resilience4j breaker stays closed");
    return breaker;
  }

  /**
   * One name for every instance: in an application a component's name is the key its registry holds
   * it by (and its guard and metric tags share), so it is not counted as the component's own.
   */
  private String nextName() {
    return "component";
  }

  private void print() {
    System.out.println("Memory per component, measured with JOL " + jolVersion());
    System.out.println();
    System.out.println(vmLine());
    System.out.println();
    System.out.println("| component | state | own bytes | graph bytes |");
    System.out.println("|---|---|---:|---:|");
    for (Row row : rows) {
      System.out.printf(
          Locale.ROOT, "| %s | %s | %,d | %,d |%n", row.component, row.state, row.own, row.graph);
    }
    System.out.println();
    System.out.println(
        "own: what one more instance adds (two built from one config and one name, minus one): the config,"
            + " the clock, the name (the registry's key for it) and shared constants are not counted. graph:"
            + " everything reachable from one instance, shared objects included.");
  }

  /** The shaded jar drops JOL's manifest, but keeps its Maven properties. */
  private static String jolVersion() {
    Properties properties = new Properties();
    String resource = "/META-INF/maven/org.openjdk.jol/jol-core/pom.properties";
    try (InputStream in = GraphLayout.class.getResourceAsStream(resource)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // the version is only a label
    }
    return properties.getProperty("version", "(version unknown)");
  }

  /** The JVM and the flags that decide object sizes. */
  private static String vmLine() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    return String.format(
        Locale.ROOT,
        "JVM: %s %s; UseCompressedOops=%s, UseCompressedClassPointers=%s, ObjectAlignmentInBytes=%s;"
            + " max heap %d MiB; flags: %s",
        System.getProperty("java.vm.name"),
        System.getProperty("java.vm.version"),
        hotspot.getVMOption("UseCompressedOops").getValue(),
        hotspot.getVMOption("UseCompressedClassPointers").getValue(),
        hotspot.getVMOption("ObjectAlignmentInBytes").getValue(),
        Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  private record Row(String component, String state, long own, long graph) {}

  /** A ticker moved by hand, so that a window can be filled without waiting a minute. */
  private static final class FakeTicker implements Ticker {

    private long nanos;

    @Override
    public long read() {
      return nanos;
    }
  }

  /** A clock moved by hand, for Resilience4j's time window. */
  private static final class MutableClock extends Clock {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
