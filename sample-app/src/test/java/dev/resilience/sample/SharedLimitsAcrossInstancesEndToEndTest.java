package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limit;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.redis.RedisRateLimitBackend;
import dev.resilience.testredis.LocalRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The redis profile over real HTTP: three instances of the sample app, each on its own Tomcat,
 * share one Redis, and 8 threads per instance place orders for one account as fast as they can with
 * the real clock. Together they admit no more than the account's {@code place_order} limit allows
 * one instance; with the local backend each instance admits that much on its own.
 *
 * <p>{@code place_order} (10 at once, 5 a second per account) is the limit that binds: the requests
 * carry the pro key, whose inbound limit (50 a second) is looser. Its {@code max-wait} of 1 s lets
 * a call wait for its slot, so the run lasts until the last waiting call is answered, and no
 * admitted call runs before its slot: the count is bounded by burst + rate x elapsed + 1 either
 * way. The simulated exchange is healthy (no chaos), so every admitted order is a 201.
 */
class SharedLimitsAcrossInstancesEndToEndTest {

  private static final int INSTANCES = 3;
  private static final int THREADS = 8;
  private static final Duration RUN = Duration.ofMillis(1500);
  private static final String ORDER =
      "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1,\"account\":\"%s\"}";

  private static LocalRedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = LocalRedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Test
  void whenTheBackendIsRedisThenAllInstancesTogetherKeepOneAccountsLimit() throws Exception {
    try (Instances instances =
        Instances.start(
            "redis",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + redis.port(),
            // Every admitted call is Redis's decision: a call Redis does not decide is rejected
            // (deny), not decided by this instance's own bucket (local, the profile's choice, whose
            // over-admission while Redis is away is the starter's tests' business). And Redis gets
            // a second to answer: on a busy 2-core build machine, 24 client threads and three
            // instances can keep Lettuce's event loop off the CPU for more than the 20 ms default.
            "resilience.rate-limiter.redis.on-failure=deny",
            "resilience.rate-limiter.redis.timeout=1s")) {

      Run run = instances.placeOrdersFor("redis-account");

      List<Long> errors =
          instances.contexts.stream()
              .map(context -> context.getBean(RedisRateLimitBackend.class).errors())
              .toList();
      System.out.println("Redis errors per instance: " + errors);
      assertThat(run.unexpected()).as("201 or 429, nothing else").isEmpty();
      assertThat((double) run.admitted())
          .as("all instances together, %s; Redis errors %s", run, errors)
          .isLessThanOrEqualTo(run.bound())
          .isGreaterThanOrEqualTo(run.limit().quota());
    }
  }

  @Test
  void whenTheBackendIsLocalThenEachInstanceAdmitsTheWholeLimit() throws Exception {
    try (Instances instances = Instances.start(null)) {
      assertThat(instances.contexts.get(0).getBeanNamesForType(RedisRateLimitBackend.class))
          .isEmpty();

      Run run = instances.placeOrdersFor("local-account");

      assertThat(run.unexpected()).as("201 or 429, nothing else").isEmpty();
      for (int admitted : run.admittedPerInstance()) {
        assertThat(admitted)
            .as("each instance, %s", run)
            .isGreaterThanOrEqualTo(run.limit().quota());
      }
      assertThat((double) run.admitted())
          .as("about %d times the limit of one: %s", INSTANCES, run)
          .isGreaterThan(2 * run.bound());
    }
  }

  /** What one run measured: the admitted calls per instance, and the limit that binds them. */
  record Run(
      int[] admittedPerInstance,
      int rejected,
      double elapsedSeconds,
      Limit limit,
      Map<Integer, String> unexpected) {

    int admitted() {
      return Arrays.stream(admittedPerInstance).sum();
    }

    /** What one bucket admits over the run: burst + rate x elapsed + 1. */
    double bound() {
      double rate = limit.quota() / (limit.window().toNanos() / 1e9);
      return limit.quota() + rate * elapsedSeconds + 1;
    }

    @Override
    public String toString() {
      return String.format(
          "admitted %d %s, rejected %d in %.2f s; one bucket (%s) admits at most %.1f",
          admitted(),
          Arrays.toString(admittedPerInstance),
          rejected,
          elapsedSeconds,
          limit,
          bound());
    }
  }

  /** Instances of the sample app on random ports, started at once and closed together. */
  private static final class Instances implements AutoCloseable {

    private final List<ConfigurableApplicationContext> contexts;

    private Instances(List<ConfigurableApplicationContext> contexts) {
      this.contexts = contexts;
    }

    /**
     * Starts the instances one after the other (Boot's logging system is one per JVM: starting two
     * at once races on it), waits until each is connected to Redis if it uses it, and sends each a
     * few orders of its own so that the measured run does not time a cold instance's first
     * requests.
     */
    static Instances start(@Nullable String profile, String... properties) {
      String[] arguments =
          Stream.concat(Stream.of("server.port=0"), Arrays.stream(properties))
              .map(property -> "--" + property)
              .toArray(String[]::new);
      List<ConfigurableApplicationContext> contexts = new ArrayList<>();
      try {
        for (int i = 0; i < INSTANCES; i++) {
          SpringApplicationBuilder app =
              new SpringApplicationBuilder(SampleApplication.class).bannerMode(Banner.Mode.OFF);
          // arguments, as an operator would give them: they win over the profile's own file
          contexts.add((profile == null ? app : app.profiles(profile)).run(arguments));
        }
        for (int i = 0; i < contexts.size(); i++) {
          ConfigurableApplicationContext context = contexts.get(i);
          for (RedisRateLimitBackend redis :
              context.getBeansOfType(RedisRateLimitBackend.class).values()) {
            // it connects on a thread of its own: until then, on-failure would decide
            await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                    () ->
                        assertThat(redis.isUp())
                            .as("connected to Redis (last error: %s)", redis.lastError())
                            .isTrue());
          }
          SampleHttp http = new SampleHttp(port(context));
          String warmUp = String.format(ORDER, "warm-up-" + i);
          for (int order = 0; order < 3; order++) {
            assertThat(http.send("POST", "/orders", warmUp).status()).isEqualTo(201);
          }
        }
      } catch (RuntimeException | AssertionError e) {
        contexts.forEach(ConfigurableApplicationContext::close);
        throw e;
      }
      return new Instances(contexts);
    }

    /**
     * Places orders for {@code account} from {@link #THREADS} threads per instance until {@link
     * #RUN} has passed, and counts the answers.
     */
    Run placeOrdersFor(String account) throws Exception {
      KeyedRateLimiter placeOrder =
          contexts.get(0).getBean(ResilienceRegistry.class).findKeyedRateLimiter("place_order");
      Limit limit = placeOrder.limits(account).get(0);
      AtomicInteger[] admitted = new AtomicInteger[contexts.size()];
      AtomicInteger rejected = new AtomicInteger();
      Map<Integer, String> unexpected = new ConcurrentHashMap<>();
      ExecutorService clients = Executors.newFixedThreadPool(contexts.size() * THREADS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      String order = String.format(ORDER, account);
      for (int i = 0; i < contexts.size(); i++) {
        int instance = i;
        admitted[i] = new AtomicInteger();
        SampleHttp http = new SampleHttp(port(contexts.get(i)));
        for (int t = 0; t < THREADS; t++) {
          running.add(
              clients.submit(
                  () -> {
                    go.await();
                    long end = System.nanoTime() + RUN.toNanos();
                    while (System.nanoTime() < end) {
                      SampleHttp.Answer answer = http.send("POST", "/orders", order);
                      switch (answer.status()) {
                        case 201 -> admitted[instance].incrementAndGet();
                        case 429 -> rejected.incrementAndGet();
                        default -> unexpected.put(answer.status(), answer.body());
                      }
                    }
                    return null;
                  }));
        }
      }
      long start = System.nanoTime();
      go.countDown();
      try {
        for (Future<?> client : running) {
          client.get();
        }
      } finally {
        clients.shutdownNow();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      Run run =
          new Run(
              Arrays.stream(admitted).mapToInt(AtomicInteger::get).toArray(),
              rejected.get(),
              elapsed,
              limit,
              unexpected);
      System.out.println(run);
      return run;
    }

    private static int port(ConfigurableApplicationContext context) {
      return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @Override
    public void close() {
      contexts.forEach(ConfigurableApplicationContext::close);
    }
  }
}
