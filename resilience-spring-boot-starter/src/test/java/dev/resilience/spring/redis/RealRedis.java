package dev.resilience.spring.redis;

import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Redis.OnFailure;
import dev.resilience.testredis.LocalRedisServer;
import java.time.Duration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A real redis-server for the backend's tests ({@link LocalRedisServer}: on a free port, never a
 * mock, failing with how to install one if none starts), with the test's own connection to it and a
 * way to open application instances on it.
 */
final class RealRedis implements AutoCloseable {

  private final LocalRedisServer server;
  private final LettuceConnectionFactory connections;

  private RealRedis(LocalRedisServer server) {
    this.server = server;
    this.connections = server.connections();
  }

  /** Starts a server with no persistence. */
  static RealRedis start() {
    return new RealRedis(LocalRedisServer.start());
  }

  /**
   * One application instance on this server: its own started connection factory and a Redis backend
   * over it, connected.
   */
  Instance instance(Duration timeout, OnFailure onFailure, int lease) {
    LettuceConnectionFactory factory = server.connections();
    RedisRateLimitBackend backend =
        new RedisRateLimitBackend(factory, timeout, onFailure, lease, Ticker.system());
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!backend.isUp() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    if (!backend.isUp()) {
      throw new IllegalStateException("Not connected to Redis within 5 s: " + backend.lastError());
    }
    return new Instance(factory, backend);
  }

  /** An application instance's connections and backend; closing it closes both. */
  record Instance(LettuceConnectionFactory factory, RedisRateLimitBackend backend)
      implements AutoCloseable {

    @Override
    public void close() {
      backend.destroy();
      factory.destroy();
    }
  }

  /** The test's own connection factory to the server. */
  LettuceConnectionFactory connections() {
    return connections;
  }

  /** Stops the server, as a crash would; {@link #restart} brings it back, empty. */
  void stop() {
    server.stop();
  }

  /** Starts the server again on the same port if it is stopped. */
  void restart() {
    server.restart();
  }

  int port() {
    return server.port();
  }

  StringRedisTemplate template() {
    return new StringRedisTemplate(connections);
  }

  @Override
  public void close() {
    connections.destroy();
    server.close();
  }
}
