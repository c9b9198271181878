package dev.resilience.spring.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The token-bucket rule run inside Redis ({@code gcra.lua}): one round trip takes a token from
 * every limit of a bucket, all or none, by the server's clock. Spring Data Redis sends it as {@code
 * EVALSHA} and falls back to {@code EVAL} when the server has lost its script cache.
 */
final class GcraScript {

  /** What a reservation returns when no token comes within the wait the caller accepts. */
  static final long REJECTED = -1;

  @SuppressWarnings("rawtypes") // Spring Data Redis maps a Lua table to a raw List
  private static final RedisScript<List> SCRIPT =
      RedisScript.of(new ClassPathResource("gcra.lua", GcraScript.class), List.class);

  private final StringRedisTemplate redis;

  GcraScript(StringRedisTemplate redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  /**
   * Takes a token from each of {@code keys}' buckets if all have one within {@code maxWaitMicros},
   * at the Redis server's time.
   *
   * @param limits per key: its interval between tokens and its tolerance, in microseconds
   */
  Reservation reserve(List<String> keys, long maxWaitMicros, long[][] limits) {
    return reserve(keys, maxWaitMicros, "", limits);
  }

  /** {@link #reserve(List, long, long[][])} at {@code nowMicros}: for tests only. */
  Reservation reserveAt(List<String> keys, long maxWaitMicros, long nowMicros, long[][] limits) {
    return reserve(keys, maxWaitMicros, Long.toString(nowMicros), limits);
  }

  private Reservation reserve(List<String> keys, long maxWaitMicros, String now, long[][] limits) {
    if (keys.size() != limits.length || keys.isEmpty()) {
      throw new IllegalArgumentException(
          keys.size() + " keys for " + limits.length + " limits: give one key per limit");
    }
    List<String> args = new ArrayList<>(2 + 2 * limits.length);
    args.add(Long.toString(maxWaitMicros));
    args.add(now);
    for (long[] limit : limits) {
      args.add(Long.toString(limit[0]));
      args.add(Long.toString(limit[1]));
    }
    List<?> answer = redis.execute(SCRIPT, keys, args.toArray());
    if (answer == null || answer.size() != 2) {
      throw new IllegalStateException("The rate-limit script answered " + answer);
    }
    return new Reservation(
        ((Number) answer.get(0)).longValue(), ((Number) answer.get(1)).longValue());
  }

  /**
   * The script's answer.
   *
   * @param waitMicros the microseconds to wait for the reserved tokens, or {@link #REJECTED}
   * @param retryMicros when rejected, the microseconds until every limit has a token
   */
  record Reservation(long waitMicros, long retryMicros) {

    boolean admitted() {
      return waitMicros != REJECTED;
    }
  }
}
