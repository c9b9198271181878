package dev.resilience.spring.redis;

import dev.resilience.core.Ticker;
import dev.resilience.spring.autoconfigure.ResilienceProperties.Redis.OnFailure;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisServer;

/**
 * A real redis-server for tests, on a free port of 127.0.0.1, never a mock: the one embedded-redis
 * ships for this platform, else a {@code redis-server} on the PATH. When neither starts, the test
 * fails saying how to provide one; it is never skipped.
 */
final class RealRedis implements AutoCloseable {

  private final RedisServer server;
  private final LettuceConnectionFactory connections;
  private final int port;

  private RealRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
    this.connections =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
    connections.afterPropertiesSet();
    connections.start();
  }

  /** Starts a server with no persistence. */
  static RealRedis start() {
    int port = freePort();
    IOException embedded;
    try {
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .build();
      server.start();
      return new RealRedis(server, port);
    } catch (IOException | RuntimeException e) {
      embedded = e instanceof IOException io ? io : new IOException(e);
    }
    for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File executable = new File(path, "redis-server");
      if (executable.canExecute()) {
        try {
          RedisServer server = new RedisServer(port, executable);
          server.start();
          return new RealRedis(server, port);
        } catch (IOException | RuntimeException e) {
          embedded.addSuppressed(e);
        }
      }
    }
    throw new IllegalStateException(
        "No Redis server could be started for the Redis backend's tests: the embedded-redis"
            + " executable for this platform did not start and there is no redis-server on the"
            + " PATH. Install one (apt-get install redis-server, brew install redis) and run the"
            + " build again.",
        embedded);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port for a test Redis server", e);
    }
  }

  int port() {
    return port;
  }

  /**
   * One application instance on this server: its own started connection factory and a Redis backend
   * over it, connected.
   */
  Instance instance(Duration timeout, OnFailure onFailure, int lease) {
    LettuceConnectionFactory factory =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
    factory.afterPropertiesSet();
    factory.start();
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

  LettuceConnectionFactory connections() {
    return connections;
  }

  /** Stops the server, as a crash would; {@link #restart} brings it back on the same port. */
  void stop() throws IOException {
    server.stop();
  }

  void restart() throws IOException {
    server.start();
  }

  void restartIfStopped() throws IOException {
    if (!server.isActive()) {
      server.start();
    }
  }

  StringRedisTemplate template() {
    return new StringRedisTemplate(connections);
  }

  @Override
  public void close() throws IOException {
    connections.destroy();
    server.stop();
  }
}
