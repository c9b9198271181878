package dev.resilience.spring.redis;

import dev.resilience.core.CallRejectedException;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitState;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.RateLimitBackend;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Redis.OnFailure;
import dev.resilience.spring.redis.GcraScript.Answer;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis server every instance's buckets live in, as the buckets reach it: each decision is one
 * script call bounded by {@code resilience.rate-limiter.redis.timeout}, and a breaker of its own
 * around Redis, so that while Redis fails no call waits on it and {@link #onFailure()} decides
 * instead. The switch away from Redis and the way back are logged once each.
 *
 * <p>The connection is Spring Data Redis's Lettuce connection, opened on a thread of its own: no
 * call ever waits for a connect. Lettuce reconnects it by itself; while it is disconnected no
 * command is sent (Lettuce would queue it), and a command that has not been answered by its
 * deadline is cancelled, so nothing piles up behind a dead or stalled server.
 */
public final class RedisRateLimitBackend implements RateLimitBackend, DisposableBean {

  private static final Log log = LogFactory.getLog(RedisRateLimitBackend.class);

  /** Three failures within ten seconds open the breaker; it tries Redis again every second. */
  private static final CircuitBreakerConfig BREAKER =
      CircuitBreakerConfig.builder()
          .window(Duration.ofSeconds(10))
          .failThreshold(3)
          .cooldown(Duration.ofSeconds(1))
          .minDwell(Duration.ZERO)
          .build();

  private final LettuceConnectionFactory connections;
  private final long timeoutNanos;
  private final OnFailure onFailure;
  private final int lease;
  private final Guard guard;
  private final LongAdder errors = new LongAdder();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private volatile @Nullable RedisConnection connection;
  private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;
  private volatile @Nullable String lastError;
  private volatile LongConsumer roundTrips = nanos -> {};
  private volatile SwitchListener switches = (toRedis, why) -> {};
  private volatile boolean closed;

  /**
   * @param timeout the longest a decision waits for Redis
   * @param lease tokens an endpoint's bucket takes per round trip to spend locally; 0 or 1: none
   */
  public RedisRateLimitBackend(
      LettuceConnectionFactory connections,
      Duration timeout,
      OnFailure onFailure,
      int lease,
      Ticker ticker) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.timeoutNanos = timeout.toNanos();
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    if (lease < 0) {
      throw new IllegalArgumentException("lease must be 0 or more, was " + lease);
    }
    this.lease = lease;
    this.guard = Guard.ofBreaker("redis", BREAKER, ticker);
    guard.breaker().addListener((breaker, from, to) -> switched(from, to));
    connect();
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public String failurePolicy() {
    return onFailure.name().toLowerCase(Locale.ROOT);
  }

  /** Returns the longest a decision waits for Redis. */
  @Override
  public Duration timeout() {
    return Duration.ofNanos(timeoutNanos);
  }

  /** Returns what decides while Redis does not answer. */
  public OnFailure onFailure() {
    return onFailure;
  }

  /** Returns the tokens an endpoint's bucket takes per round trip; 0: one token per decision. */
  @Override
  public int lease() {
    return lease;
  }

  /** Returns whether decisions go to Redis now; false while {@link #onFailure()} decides. */
  @Override
  public boolean isUp() {
    return commands != null && guard.breaker().state() == CircuitState.CLOSED;
  }

  // What onFailure decides for a call or a read that Redis did not answer, in one place for every
  // bucket in Redis; local asks this instance's own bucket (only then is the supplier called).

  /** A reservation Redis did not answer: the wait, or {@code REJECTED}. */
  long reserveWithout(LongSupplier localBucket) {
    return switch (onFailure) {
      case LOCAL -> localBucket.getAsLong();
      case ALLOW -> 0;
      case DENY -> RateLimiter.REJECTED;
    };
  }

  /** The tokens of a bucket Redis did not answer for: all of {@code burst} while allowing. */
  double tokensWithout(DoubleSupplier localBucket, double burst) {
    return switch (onFailure) {
      case LOCAL -> localBucket.getAsDouble();
      case ALLOW -> burst;
      case DENY -> 0;
    };
  }

  /** The wait for a token of a bucket Redis did not answer for: until Redis is tried again. */
  long waitWithout(LongSupplier localBucket) {
    return switch (onFailure) {
      case LOCAL -> localBucket.getAsLong();
      case ALLOW -> 0;
      case DENY -> retryNanos();
    };
  }

  /** Returns the nanoseconds until Redis is tried again, when denying calls while it is down. */
  private long retryNanos() {
    long probe = guard.breaker().retryAfterNanos();
    return probe > 0 ? probe : BREAKER.cooldown().toNanos();
  }

  /** Returns the Redis calls that failed or timed out since start. */
  @Override
  public long errors() {
    return errors.sum();
  }

  /** Returns why Redis last failed, or null if it never did. */
  @Override
  public @Nullable String lastError() {
    return lastError;
  }

  /** Tells {@code recorder} the duration of every answered round trip, in nanoseconds. */
  public void recordRoundTrips(LongConsumer recorder) {
    this.roundTrips = Objects.requireNonNull(recorder, "recorder");
  }

  /**
   * Tells {@code listener} of each switch away from Redis and each way back, once each, as they are
   * logged; it runs on the thread of the decision that saw the switch, so it must not block.
   */
  public void onSwitch(SwitchListener listener) {
    this.switches = Objects.requireNonNull(listener, "listener");
  }

  /** Told when the decisions leave Redis for {@link #onFailure()} and when they come back. */
  @FunctionalInterface
  public interface SwitchListener {

    /**
     * Called after the switch.
     *
     * @param toRedis true when Redis answers again, false when on-failure decides from now on
     * @param why why Redis failed, when leaving it; else null
     */
    void switched(boolean toRedis, @Nullable String why);
  }

  /**
   * Runs the script unless Redis is known to be down, and writes its answer into {@code into}.
   *
   * @return whether Redis answered in time; false when {@link #onFailure()} must decide
   */
  boolean run(byte[][] keys, byte[][] args, Answer into) {
    GuardedCall call = admit();
    if (call == null) {
      return false;
    }
    RedisClusterAsyncCommands<byte[], byte[]> redis = commands;
    if (redis == null) {
      connect();
      failed(call, "network", "not connected yet");
      return false;
    }
    if (!isOpen(redis)) {
      // Lettuce would queue the command until it has reconnected: fail now, queue nothing.
      failed(call, "network", "disconnected; Lettuce is reconnecting");
      return false;
    }
    long start = System.nanoTime();
    try {
      GcraScript.run(redis, keys, args, start + timeoutNanos, into);
    } catch (TimeoutException e) {
      failed(call, "timeout", "no answer within " + timeout().toMillis() + " ms");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.abandoned();
      return false;
    } catch (ExecutionException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      failed(call, "network", String.valueOf(cause));
      return false;
    }
    roundTrips.accept(System.nanoTime() - start);
    call.succeeded();
    return true;
  }

  /** Deletes {@code keys}; returns how many existed, or -1 if Redis did not answer in time. */
  long delete(byte[][] keys) {
    GuardedCall call = admit();
    RedisClusterAsyncCommands<byte[], byte[]> redis = commands;
    if (call == null || redis == null || !isOpen(redis)) {
      if (call != null) {
        call.abandoned();
      }
      return -1;
    }
    try {
      long deleted = GcraScript.await(redis.del(keys), System.nanoTime() + timeoutNanos);
      call.succeeded();
      return deleted;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.abandoned();
      return -1;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      failed(call, "network", String.valueOf(e));
      return -1;
    }
  }

  /** Whether the connection is open; Lettuce queues what is sent while it is not. */
  private static boolean isOpen(RedisClusterAsyncCommands<byte[], byte[]> redis) {
    if (redis instanceof RedisAsyncCommands<byte[], byte[]> standalone) {
      return standalone.getStatefulConnection().isOpen();
    }
    if (redis instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster) {
      return cluster.getStatefulConnection().isOpen();
    }
    return true;
  }

  /** Asks the breaker around Redis; null while it is open, without allocating. */
  private @Nullable GuardedCall admit() {
    if (guard.breaker().state() == CircuitState.OPEN) {
      return null;
    }
    try {
      return guard.admit();
    } catch (CallRejectedException e) {
      return null; // half open, another call is the probe
    }
  }

  private void failed(GuardedCall call, String code, String why) {
    errors.increment();
    lastError = why;
    call.failed(code);
  }

  /**
   * Logs the switch away from Redis and the way back, once each: a probe that fails sends the
   * breaker from HALF_OPEN back to OPEN, which is no new switch.
   */
  private void switched(CircuitState from, CircuitState to) {
    if (to == CircuitState.OPEN && from == CircuitState.CLOSED && !closed) {
      log.warn(
          "Redis does not answer the rate limiters ("
              + lastError
              + "): deciding with on-failure="
              + failurePolicy()
              + " until it answers again; trying it again every "
              + BREAKER.cooldown().toSeconds()
              + " s");
      switches.switched(false, lastError);
    } else if (to == CircuitState.CLOSED) {
      log.info("Redis answers the rate limiters again: every instance shares its buckets again");
      switches.switched(true, null);
    }
  }

  /** Opens the connection on a thread of its own, once at a time, so that no call waits for it. */
  private void connect() {
    if (commands != null || closed || !connecting.compareAndSet(false, true)) {
      return;
    }
    Thread connector =
        new Thread(
            () -> {
              try {
                RedisConnection opened = connections.getConnection();
                Object nativeConnection = opened.getNativeConnection();
                @SuppressWarnings("unchecked")
                RedisClusterAsyncCommands<byte[], byte[]> async =
                    (RedisClusterAsyncCommands<byte[], byte[]>) nativeConnection;
                // Loaded and warmed now: a caller's first call finds the script and compiled code.
                GcraScript.load(async);
                connection = opened;
                commands = async;
                if (closed) {
                  opened.close();
                }
              } catch (RuntimeException | ExecutionException | TimeoutException e) {
                lastError = String.valueOf(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                connecting.set(false);
              }
            },
            "resilience-redis-connect");
    connector.setDaemon(true);
    connector.start();
  }

  @Override
  public void destroy() {
    closed = true;
    RedisConnection open = connection;
    if (open != null) {
      open.close();
    }
  }

  @Override
  public String toString() {
    return "RedisRateLimitBackend{"
        + (isUp() ? "up" : "down")
        + ", timeout="
        + timeout().toMillis()
        + "ms, on-failure="
        + onFailure
        + ", lease="
        + lease
        + '}';
  }
}
