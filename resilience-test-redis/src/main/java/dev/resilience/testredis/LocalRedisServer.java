package dev.resilience.testredis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import redis.embedded.RedisServer;

/**
 * A redis-server on a free port of 127.0.0.1 with no persistence: the one embedded-redis ships for
 * this platform, else a {@code redis-server} on the PATH. When neither starts, {@link #start} fails
 * saying how to provide one, so that a test needing Redis fails instead of being skipped.
 *
 * <p>{@link #stop} and {@link #restart} play a crash and a recovery on the same port. {@link
 * #commandCalls} reads {@code INFO commandstats} over a socket of its own, so that counting what
 * clients sent adds nothing to their connections.
 */
public final class LocalRedisServer implements AutoCloseable {

  private final RedisServer server;
  private final int port;

  private LocalRedisServer(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts a server.
   *
   * @throws IllegalStateException if no server could be started, saying how to install one
   */
  public static LocalRedisServer start() {
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
      return new LocalRedisServer(server, port);
    } catch (IOException | RuntimeException e) {
      embedded = e instanceof IOException io ? io : new IOException(e);
    }
    for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File executable = new File(path, "redis-server");
      if (executable.canExecute()) {
        try {
          RedisServer server = new RedisServer(port, executable);
          server.start();
          return new LocalRedisServer(server, port);
        } catch (IOException | RuntimeException e) {
          embedded.addSuppressed(e);
        }
      }
    }
    throw new IllegalStateException(
        "No Redis server could be started: the embedded-redis executable for this platform did"
            + " not start and there is no redis-server on the PATH. Install one (apt-get install"
            + " redis-server, brew install redis) and run again.",
        embedded);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port for a Redis server", e);
    }
  }

  /** Returns the server's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Returns the Redis URI of this server, for clients built by hand. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Returns a new, started Spring Data Redis connection factory for this server. */
  public LettuceConnectionFactory connections() {
    LettuceConnectionFactory connections =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
    connections.afterPropertiesSet();
    connections.start();
    return connections;
  }

  /** Stops the server, as a crash would: clients see their connections drop, then refused. */
  public void stop() {
    if (server.isActive()) {
      try {
        server.stop();
      } catch (IOException e) {
        throw new UncheckedIOException("The Redis server on port " + port + " did not stop", e);
      }
    }
  }

  /** Starts the server again on the same port, empty, if it is stopped. */
  public void restart() {
    if (!server.isActive()) {
      try {
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException("The Redis server on port " + port + " did not start", e);
      }
    }
  }

  /**
   * Returns, per command, the calls the server has run since start ({@code INFO commandstats}): the
   * commands clients sent and those that scripts ran inside the server.
   */
  public Map<String, Long> commandCalls() {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : command("INFO", "commandstats").split("\r\n")) {
      // cmdstat_evalsha:calls=10000,usec=...
      if (line.startsWith("cmdstat_")) {
        int colon = line.indexOf(':');
        int comma = line.indexOf(',', colon);
        calls.put(
            line.substring("cmdstat_".length(), colon),
            Long.parseLong(line.substring(colon + 1 + "calls=".length(), comma)));
      }
    }
    return calls;
  }

  /**
   * Sends one command on a connection of its own and returns its bulk-string or status answer.
   *
   * @throws IllegalStateException if Redis answers with an error or another type
   */
  public String command(String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
      for (String word : words) {
        request.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String header = line(in);
      if (header.startsWith("+")) {
        return header.substring(1);
      }
      if (!header.startsWith("$")) {
        throw new IllegalStateException("Redis answered " + words[0] + " with " + header);
      }
      byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Redis on port " + port + " did not answer " + words[0], e);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed mid-answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Stops the server. */
  @Override
  public void close() {
    stop();
  }
}
