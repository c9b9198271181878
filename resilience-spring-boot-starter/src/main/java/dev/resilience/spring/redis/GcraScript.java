package dev.resilience.spring.redis;

import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The token-bucket rule run inside Redis ({@code gcra.lua}): one round trip takes tokens from every
 * limit of a bucket, all or none, by the server's clock. It is sent as {@code EVALSHA}, and as
 * {@code EVAL} when the server has lost its script cache; every call ends by its deadline.
 */
final class GcraScript {

  /** The answer's wait when no token comes within the wait the caller accepts. */
  static final long REJECTED = -1;

  /** The most limits one call decides: the core's {@code Limits} holds at most 8. */
  static final int MAX_LIMITS = 8;

  private static final byte[] SOURCE = source();
  private static final String SHA = sha1(SOURCE);

  private GcraScript() {}

  /**
   * Runs the script and writes its answer into {@code into}.
   *
   * @param args the script's {@code ARGV}: wait, now, wanted, then interval and tolerance per limit
   * @param deadlineNanos the {@link System#nanoTime()} by which Redis must have answered
   * @throws TimeoutException when Redis has not answered by the deadline; the command is cancelled
   * @throws ExecutionException when Redis or the connection failed
   */
  static void run(
      RedisClusterAsyncCommands<byte[], byte[]> redis,
      byte[][] keys,
      byte[][] args,
      long deadlineNanos,
      Answer into)
      throws TimeoutException, ExecutionException, InterruptedException {
    List<Object> answer;
    try {
      answer = await(redis.evalsha(SHA, ScriptOutputType.MULTI, keys, args), deadlineNanos);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      answer = await(redis.eval(SOURCE, ScriptOutputType.MULTI, keys, args), deadlineNanos);
    }
    into.read(answer, keys.length);
  }

  /** Reads of a bucket made on connect, to warm the code every call runs. */
  private static final int WARM_UP_READS = 300;

  /**
   * Loads the script into the server's cache, then reads a bucket a few hundred times (tens of
   * milliseconds on a connection's own thread): in a new JVM the first calls load classes and run
   * interpreted code, and on a small machine they miss a 20 ms timeout, which would have the
   * failure policy decide the first calls after start-up.
   */
  static void load(RedisClusterAsyncCommands<byte[], byte[]> redis)
      throws TimeoutException, ExecutionException, InterruptedException {
    await(redis.scriptLoad(SOURCE), System.nanoTime() + 1_000_000_000L);
    ScriptLimits warmUp = new ScriptLimits(Limits.of(Limit.of(1, Duration.ofSeconds(1))));
    byte[][] keys = warmUp.keys("warm-up");
    byte[][] args = warmUp.args(0, 0);
    Answer answer = new Answer();
    for (int i = 0; i < WARM_UP_READS; i++) {
      run(redis, keys, args, System.nanoTime() + 1_000_000_000L, answer);
    }
  }

  /**
   * Waits for {@code future} until the deadline; a command still unanswered then is cancelled, so
   * that one waiting in the connection's queue for a dead server is dropped there.
   */
  static <T> T await(RedisFuture<T> future, long deadlineNanos)
      throws TimeoutException, ExecutionException, InterruptedException {
    try {
      return future.get(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | InterruptedException e) {
      future.cancel(false);
      throw e;
    }
  }

  private static byte[] source() {
    try (InputStream in = GcraScript.class.getResourceAsStream("gcra.lua")) {
      if (in == null) {
        throw new IllegalStateException("gcra.lua is missing from the starter's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(byte[] source) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-1", e);
    }
  }

  static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The script's answer, one per thread and limiter, reused: which key it was for, when, and every
   * limit's state after the call, so that reading what is left right after a decision costs no
   * second round trip.
   */
  static final class Answer {

    /** The microseconds to wait for the tokens taken, or {@link #REJECTED}; unused by a read. */
    long waitMicros;

    /** The tokens taken; when rejected, the microseconds until every limit has one. */
    long count;

    /** The Redis server's time of the call, in microseconds. */
    long nowMicros;

    /** The {@link System#nanoTime()} at which the answer arrived. */
    long receivedNanos;

    /** Each limit's tat after the call, in microseconds of the server's clock. */
    final long[] tats = new long[MAX_LIMITS];

    private static final long FRESH_NANOS = 10_000_000;

    /** How many of {@link #tats} hold a limit. */
    int limits;

    /** The key the answer is about ({@code ""} for an endpoint's bucket), or null if none yet. */
    @Nullable String key;

    boolean admitted() {
      return waitMicros != REJECTED;
    }

    /**
     * Returns whether this answer is about {@code key} and recent enough to read the key's state
     * from: the thread that just decided a call reads what is left for its response headers.
     */
    boolean isFresh(String key, long nanoTime) {
      return key.equals(this.key) && nanoTime - receivedNanos < FRESH_NANOS;
    }

    /** The server's clock now, estimated from this answer: for reads right after the call. */
    long nowMicros(long nanoTime) {
      return nowMicros + (nanoTime - receivedNanos) / 1000;
    }

    void read(List<Object> answer, int keys) {
      if (answer == null || answer.size() != 3 + keys) {
        throw new IllegalStateException("The rate-limit script answered " + answer);
      }
      waitMicros = (Long) answer.get(0);
      count = (Long) answer.get(1);
      nowMicros = (Long) answer.get(2);
      for (int i = 0; i < keys; i++) {
        tats[i] = (Long) answer.get(3 + i);
      }
      limits = keys;
      receivedNanos = System.nanoTime();
    }
  }
}
