package dev.resilience.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server for the redis profile's tests, on a free port of 127.0.0.1 with no
 * persistence: the one embedded-redis ships for this platform, else a {@code redis-server} on the
 * PATH. When neither starts, the test fails saying how to provide one; it is never skipped.
 *
 * <p>The starter's tests have a richer twin (connections, stop and restart); this one only needs a
 * port to give the sample app.
 */
final class TestRedis implements AutoCloseable {

  private final RedisServer server;
  private final int port;

  private TestRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  static TestRedis start() {
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
      return new TestRedis(server, port);
    } catch (IOException | RuntimeException e) {
      embedded = e instanceof IOException io ? io : new IOException(e);
    }
    for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File executable = new File(path, "redis-server");
      if (executable.canExecute()) {
        try {
          RedisServer server = new RedisServer(port, executable);
          server.start();
          return new TestRedis(server, port);
        } catch (IOException | RuntimeException e) {
          embedded.addSuppressed(e);
        }
      }
    }
    throw new IllegalStateException(
        "No Redis server could be started for the sample app's redis profile tests: the"
            + " embedded-redis executable for this platform did not start and there is no"
            + " redis-server on the PATH. Install one (apt-get install redis-server, brew install"
            + " redis) and run the build again.",
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

  @Override
  public void close() throws IOException {
    server.stop();
  }
}
