package dev.resilience.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.redis.GcraScript.Reservation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Lua script against a real Redis: it answers the core's shared GCRA table exactly as the
 * in-process bucket does ({@code Gcra}, {@code TokenBucket}), takes from every limit or none, and
 * survives the loss of the server's script cache.
 */
class GcraScriptTest {

  /** The core's table: one rule, one set of cases, for every store that keeps buckets. */
  private static final Path TABLE =
      Path.of("../resilience-core/src/test/resources/dev/resilience/core/gcra-cases.csv");

  private static RealRedis redis;
  private static StringRedisTemplate template;
  private static GcraScript script;

  @BeforeAll
  static void startRedis() {
    redis = RealRedis.start();
    template = redis.template();
    script = new GcraScript(template);
  }

  @AfterAll
  static void stopRedis() throws IOException {
    redis.close();
  }

  /**
   * Every time of the table is scaled by this: the rule is linear and has no unit, and scaled, the
   * keys the script writes live at least a second (each expires when its bucket is full again, 100
   * table units after the call at the least), long enough to be read back.
   */
  private static final long SCALE = 10_000;

  /**
   * The table's rows, read as microseconds and scaled. The row near the clock's wrap is left out:
   * Redis time in microseconds since 1970 is far below 2^53 and never wraps.
   */
  static Stream<Arguments> table() throws IOException {
    return Files.readAllLines(TABLE).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split(","))
        .filter(cells -> Math.abs(Long.parseLong(cells[3].trim())) < (1L << 53) / SCALE)
        .map(
            cells ->
                Arguments.of(
                    cells[0].trim(),
                    SCALE * Long.parseLong(cells[1].trim()),
                    Integer.parseInt(cells[2].trim()),
                    SCALE * Long.parseLong(cells[3].trim()),
                    SCALE * Long.parseLong(cells[4].trim()),
                    SCALE * Long.parseLong(cells[5].trim()),
                    Long.parseLong(cells[6].trim()) < 0
                        ? -1
                        : SCALE * Long.parseLong(cells[6].trim()),
                    SCALE * Long.parseLong(cells[7].trim())));
  }

  @Test
  void theTableCoversEveryRowButTheClocksWrap() throws IOException {
    assertThat(table()).hasSize(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void answersTheSharedTableAsTheInProcessBucketDoes(
      String name,
      long interval,
      int burst,
      long tat,
      long now,
      long maxWait,
      long wait,
      long tatAfter) {
    String key = "{test}:" + name;
    template.opsForValue().set(key, Long.toString(tat));

    Reservation answer =
        script.reserveAt(
            List.of(key), maxWait, now, new long[][] {{interval, (burst - 1) * interval}});

    assertThat(answer.waitMicros()).isEqualTo(wait);
    assertThat(template.opsForValue().get(key)).isEqualTo(Long.toString(tatAfter));
    if (wait == GcraScript.REJECTED) {
      assertThat(answer.retryMicros()).as("until a token").isPositive();
    }
  }

  @Test
  void whenOneLimitHasNoTokenThenNoLimitIsTakenFrom() {
    List<String> keys = List.of("{orders:k}:1s", "{orders:k}:1h");
    long[][] limits = {{200_000, 800_000}, {3_600_000_000L, 0}}; // 5 per second, 1 per hour
    long now = 1_000_000_000_000_000L;

    assertThat(script.reserveAt(keys, 0, now, limits).admitted()).isTrue();
    String firstAfterOne = template.opsForValue().get(keys.get(0));
    Reservation second = script.reserveAt(keys, 0, now, limits);

    assertThat(second.admitted()).isFalse();
    assertThat(second.retryMicros()).isEqualTo(3_600_000_000L);
    assertThat(template.opsForValue().get(keys.get(0)))
        .as("the 1 s limit gave nothing to the rejected call")
        .isEqualTo(firstAfterOne);
  }

  @Test
  void whenTheServerLosesItsScriptCacheThenTheNextCallLoadsItAgain() {
    String key = "{flush}:k";
    assertThat(script.reserve(List.of(key), 0, new long[][] {{1_000, 9_000}}).admitted()).isTrue();

    template.execute(
        (RedisConnection connection) -> {
          connection.scriptingCommands().scriptFlush();
          return null;
        });

    assertThat(script.reserve(List.of(key), 0, new long[][] {{1_000, 9_000}}).admitted()).isTrue();
  }

  @Test
  void aBucketReadsTheServersClockAndExpiresWhenFullAgain() {
    String key = "{clock}:k";
    long[][] tenPerSecond = {{100_000, 900_000}};

    for (int i = 0; i < 10; i++) {
      assertThat(script.reserve(List.of(key), 0, tenPerSecond).admitted())
          .as("call %d", i)
          .isTrue();
    }
    Reservation eleventh = script.reserve(List.of(key), 0, tenPerSecond);

    assertThat(eleventh.admitted()).isFalse();
    assertThat(eleventh.retryMicros()).isBetween(1L, 100_000L);
    Long ttl = template.getExpire(key, TimeUnit.MILLISECONDS);
    assertThat(ttl).as("expires when full again, within a second").isBetween(1L, 1_000L);
  }

  @Test
  void eightThreadsTogetherNeverGetMoreThanBurstPlusRateTimesElapsed() throws Exception {
    String key = "{eight}:k";
    long[][] fiftyPerSecondBurstTen = {{20_000, 9 * 20_000}};
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        running.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    if (script.reserve(List.of(key), 0, fiftyPerSecondBurstTen).admitted()) {
                      admitted.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> thread : running) {
        thread.get();
      }
    } finally {
      threads.shutdownNow();
    }
    double elapsedSeconds = (System.nanoTime() - start) / 1e9;

    assertThat((double) admitted.get())
        .as("burst 10 + 50/s x %.2f s, over 800 calls", elapsedSeconds)
        .isLessThanOrEqualTo(10 + 50 * elapsedSeconds + 1)
        .isGreaterThanOrEqualTo(10);
  }
}
