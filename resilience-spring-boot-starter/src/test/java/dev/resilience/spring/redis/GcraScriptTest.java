package dev.resilience.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.redis.GcraScript.Answer;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
  private static RedisConnection connection;
  private static RedisClusterAsyncCommands<byte[], byte[]> async;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void startRedis() {
    redis = RealRedis.start();
    template = redis.template();
    connection = redis.connections().getConnection();
    async = (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
  }

  @AfterAll
  static void stopRedis() {
    connection.close();
    redis.close();
  }

  /** One call of the script: at the server's time when {@code now} is null, else at {@code now}. */
  static Answer call(List<String> keys, long maxWait, Long now, int wanted, long[][] limits)
      throws Exception {
    byte[][] args = new byte[3 + 2 * limits.length][];
    args[0] = GcraScript.ascii(maxWait);
    args[1] = now == null ? new byte[0] : GcraScript.ascii(now);
    args[2] = GcraScript.ascii(wanted);
    for (int i = 0; i < limits.length; i++) {
      args[3 + 2 * i] = GcraScript.ascii(limits[i][0]);
      args[4 + 2 * i] = GcraScript.ascii(limits[i][1]);
    }
    byte[][] keyBytes =
        keys.stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    Answer answer = new Answer();
    GcraScript.run(async, keyBytes, args, System.nanoTime() + 1_000_000_000L, answer);
    return answer;
  }

  static Answer reserveAt(List<String> keys, long maxWait, long now, long[][] limits)
      throws Exception {
    return call(keys, maxWait, now, 1, limits);
  }

  static Answer reserve(List<String> keys, long maxWait, long[][] limits) throws Exception {
    return call(keys, maxWait, null, 1, limits);
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
      long tatAfter)
      throws Exception {
    String key = "{test}:" + name;
    template.opsForValue().set(key, Long.toString(tat));

    Answer answer =
        reserveAt(List.of(key), maxWait, now, new long[][] {{interval, (burst - 1) * interval}});

    assertThat(answer.waitMicros).isEqualTo(wait);
    assertThat(template.opsForValue().get(key)).isEqualTo(Long.toString(tatAfter));
    if (wait == GcraScript.REJECTED) {
      assertThat(answer.count).as("until a token").isPositive();
    }
  }

  @Test
  void whenOneLimitHasNoTokenThenNoLimitIsTakenFrom() throws Exception {
    List<String> keys = List.of("{orders:k}:1s", "{orders:k}:1h");
    long[][] limits = {{200_000, 800_000}, {3_600_000_000L, 0}}; // 5 per second, 1 per hour
    long now = 1_000_000_000_000_000L;

    assertThat(reserveAt(keys, 0, now, limits).admitted()).isTrue();
    String firstAfterOne = template.opsForValue().get(keys.get(0));
    Answer second = reserveAt(keys, 0, now, limits);

    assertThat(second.admitted()).isFalse();
    assertThat(second.count).isEqualTo(3_600_000_000L);
    assertThat(template.opsForValue().get(keys.get(0)))
        .as("the 1 s limit gave nothing to the rejected call")
        .isEqualTo(firstAfterOne);
  }

  @Test
  void aHoldEmptiesEveryLimitUntilItsEndExactlyAsTheInProcessBucketDoes() throws Exception {
    List<String> keys = List.of("{hold:k}:1s", "{hold:k}:1m");
    long[][] limits = {{100_000, 300_000}, {60_000_000, 0}}; // 10/s burst 4, 1 per minute
    long now = 1_000_000_000_000_000L;
    byte[][] hold = new byte[7][];
    hold[0] = GcraScript.ascii(2_000_000); // 2 s
    hold[1] = GcraScript.ascii(now);
    hold[2] = "hold".getBytes(StandardCharsets.US_ASCII);
    hold[3] = GcraScript.ascii(100_000);
    hold[4] = GcraScript.ascii(300_000);
    hold[5] = GcraScript.ascii(60_000_000);
    hold[6] = GcraScript.ascii(0);
    byte[][] keyBytes =
        keys.stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

    Answer held = new Answer();
    GcraScript.run(async, keyBytes, hold, System.nanoTime() + 1_000_000_000L, held);

    assertThat(held.tats[0]).isEqualTo(now + 2_000_000 + 300_000);
    assertThat(held.tats[1]).isEqualTo(now + 2_000_000);
    Answer justBefore = reserveAt(keys, 0, now + 1_999_999, limits);
    assertThat(justBefore.admitted()).isFalse();
    assertThat(justBefore.count).isEqualTo(1);
    assertThat(reserveAt(keys, 0, now + 2_000_000, limits).admitted()).isTrue();
    assertThat(reserveAt(keys, 0, now + 2_000_000, limits).admitted())
        .as("one token at the end of the hold, not a burst")
        .isFalse();
    GcraScript.run(async, keyBytes, hold, System.nanoTime() + 1_000_000_000L, held);
    assertThat(held.tats[1])
        .as("a hold from the past leaves a later bucket as it is")
        .isEqualTo(now + 2_000_000 + 60_000_000);
  }

  @Test
  void whenTheServerLosesItsScriptCacheThenTheNextCallLoadsItAgain() throws Exception {
    String key = "{flush}:k";
    assertThat(reserve(List.of(key), 0, new long[][] {{1_000, 9_000}}).admitted()).isTrue();

    template.execute(
        (RedisConnection connection) -> {
          connection.scriptingCommands().scriptFlush();
          return null;
        });

    assertThat(reserve(List.of(key), 0, new long[][] {{1_000, 9_000}}).admitted()).isTrue();
  }

  @Test
  void aBucketReadsTheServersClockAndExpiresWhenFullAgain() throws Exception {
    String key = "{clock}:k";
    long[][] tenPerSecond = {{100_000, 900_000}};

    for (int i = 0; i < 10; i++) {
      assertThat(reserve(List.of(key), 0, tenPerSecond).admitted()).as("call %d", i).isTrue();
    }
    Answer eleventh = reserve(List.of(key), 0, tenPerSecond);

    assertThat(eleventh.admitted()).isFalse();
    assertThat(eleventh.count).isBetween(1L, 100_000L);
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
                    if (reserve(List.of(key), 0, fiftyPerSecondBurstTen).admitted()) {
                      admitted.incrementAndGet();
                    }
                  }
                  return null;
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

  @Test
  void aLeaseTakesAsManyTokensAsEveryLimitHasUpToTheNumberWanted() throws Exception {
    List<String> keys = List.of("{lease:k}:1s", "{lease:k}:1m");
    long[][] limits = {{100_000, 900_000}, {1_000_000, 5_000_000}}; // burst 10/s, 6 per minute...
    long now = 2_000_000_000_000_000L;

    Answer four = call(keys, 0, now, 4, limits);
    Answer rest = call(keys, 0, now, 10, limits);
    Answer none = call(keys, 0, now, 3, limits);

    assertThat(four.count).isEqualTo(4);
    assertThat(four.tats[0]).isEqualTo(now + 4 * 100_000);
    assertThat(rest.count).as("the second limit's burst of 6 is what is left").isEqualTo(2);
    assertThat(none.admitted()).isFalse();
    assertThat(none.count).as("until the second limit has a token").isEqualTo(1_000_000);
  }

  @Test
  void aReadReturnsTheStateAndTakesNothing() throws Exception {
    List<String> keys = List.of("{read:k}:1s");
    long[][] limits = {{100_000, 900_000}};
    long now = 3_000_000_000_000_000L;
    reserveAt(keys, 0, now, limits);

    Answer read = call(keys, 0, now, 0, limits);

    assertThat(read.tats[0]).isEqualTo(now + 100_000);
    assertThat(template.opsForValue().get(keys.get(0))).isEqualTo(Long.toString(now + 100_000));
  }
}
