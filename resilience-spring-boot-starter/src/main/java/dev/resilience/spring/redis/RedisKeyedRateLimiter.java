package dev.resilience.spring.redis;

import dev.resilience.core.KeyedRateLimiter;
import dev.resilience.core.Limits;
import dev.resilience.spring.redis.GcraScript.Answer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Buckets per key in Redis, shared by every instance: one script call per decision takes from all
 * of the key's limits or none. Redis names a client by a digest of its key, never the key itself.
 * Each Redis key expires when its bucket is full again, so Redis holds only the keys that count,
 * and {@code max-keys} bounds only the local buckets that decide while Redis does not answer
 * ({@code on-failure: local}).
 */
final class RedisKeyedRateLimiter implements KeyedRateLimiter {

  private final String name;
  private final Function<String, Limits> limitsOfKey;
  private final ConcurrentMap<Limits, ScriptLimits> scripts = new ConcurrentHashMap<>();
  private final RedisRateLimitBackend backend;
  private final KeyedRateLimiter local;
  private final ThreadLocal<Answer> answers = ThreadLocal.withInitial(Answer::new);

  RedisKeyedRateLimiter(
      String name,
      Function<String, Limits> limitsOfKey,
      RedisRateLimitBackend backend,
      KeyedRateLimiter local) {
    this.name = name;
    this.limitsOfKey = limitsOfKey;
    this.backend = backend;
    this.local = local;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int maxKeys() {
    return local.maxKeys();
  }

  @Override
  public Limits limits(String key) {
    return limitsOfKey.apply(key);
  }

  @Override
  public long tryReserve(String key, long maxWaitNanos, long nowNanos) {
    ScriptLimits limits = scriptLimits(key);
    Answer answer = answers.get();
    if (!backend.run(keys(limits, key), limits.args(maxWaitNanos, 1), answer)) {
      answer.key = null;
      return backend.reserveWithout(() -> local.tryReserve(key, maxWaitNanos));
    }
    answer.key = key;
    return answer.admitted() ? 1000 * answer.waitMicros : REJECTED;
  }

  @Override
  public long tryReserve(String key, long maxWaitNanos) {
    return tryReserve(key, maxWaitNanos, 0);
  }

  @Override
  public double availableTokens(String key, int limit) {
    ScriptLimits limits = scriptLimits(key);
    Answer answer = read(limits, key);
    if (answer == null) {
      return backend.tokensWithout(() -> local.availableTokens(key, limit), limits.burst(limit));
    }
    return limits.availableTokens(answer, limit, answer.nowMicros(System.nanoTime()));
  }

  @Override
  public long nanosUntilToken(String key, int limit) {
    ScriptLimits limits = scriptLimits(key);
    Answer answer = read(limits, key);
    if (answer == null) {
      return backend.waitWithout(() -> local.nanosUntilToken(key, limit));
    }
    return limits.nanosUntilToken(answer, limit, answer.nowMicros(System.nanoTime()));
  }

  @Override
  public boolean isLive(String key) {
    ScriptLimits limits = scriptLimits(key);
    Answer answer = read(limits, key);
    if (answer == null) {
      return local.isLive(key);
    }
    long now = answer.nowMicros(System.nanoTime());
    for (int i = 0; i < answer.limits; i++) {
      if (answer.tats[i] > now) {
        return true;
      }
    }
    return false;
  }

  /** Forgets the key in Redis and in the local buckets; true if either held state. */
  @Override
  public boolean reset(String key) {
    answers.get().key = null;
    boolean local = this.local.reset(key);
    return backend.delete(keys(scriptLimits(key), key)) > 0 || local;
  }

  /** Returns the keys the local buckets hold: Redis holds the shared ones, each until full. */
  @Override
  public int liveKeys() {
    return local.liveKeys();
  }

  @Override
  public long evictions() {
    return local.evictions();
  }

  private ScriptLimits scriptLimits(String key) {
    Limits limits = limitsOfKey.apply(key);
    ScriptLimits found = scripts.get(limits);
    return found != null ? found : scripts.computeIfAbsent(limits, ScriptLimits::new);
  }

  private byte[][] keys(ScriptLimits limits, String key) {
    return limits.keys(name + ':' + digest(key));
  }

  /**
   * The client key as Redis holds it: the Base64 of its SHA-256 digest, 43 characters whatever its
   * length, so that no API key can be read from Redis's key names.
   */
  static String digest(String key) {
    MessageDigest sha256 = DIGESTS.get();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  private static final ThreadLocal<MessageDigest> DIGESTS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("Every Java platform has SHA-256", e);
            }
          });

  /** This thread's answer if it just decided the key, else a fresh read; null if Redis failed. */
  private @Nullable Answer read(ScriptLimits limits, String key) {
    Answer answer = answers.get();
    if (answer.isFresh(key, System.nanoTime())) {
      return answer;
    }
    if (!backend.run(keys(limits, key), limits.args(0, 0), answer)) {
      answer.key = null;
      return null;
    }
    answer.key = key;
    return answer;
  }

  @Override
  public String toString() {
    return "RedisKeyedRateLimiter{" + name + '}';
  }
}
