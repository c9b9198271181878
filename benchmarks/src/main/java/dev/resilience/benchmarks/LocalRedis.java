package dev.resilience.benchmarks;

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
 * A redis-server on a free port of 127.0.0.1, started by the benchmark itself so that ours and
 * Bucket4j talk to the same server in the same run: the one embedded-redis ships for this platform,
 * else a {@code redis-server} on the PATH. No persistence, so that no disk write competes.
 *
 * <p>It reads {@code INFO commandstats} over a plain socket of its own, so that counting what the
 * limiters sent adds nothing to their connections.
 */
final class LocalRedis implements AutoCloseable {

  private final RedisServer server;
  private final int port;
  private boolean running = true;

  private LocalRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts a server, or fails saying how to provide one. */
  static LocalRedis start() {
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
      return new LocalRedis(server, port);
    } catch (IOException | RuntimeException e) {
      embedded = e instanceof IOException io ? io : new IOException(e);
    }
    for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File executable = new File(path, "redis-server");
      if (executable.canExecute()) {
        try {
          RedisServer server = new RedisServer(port, executable);
          server.start();
          return new LocalRedis(server, port);
        } catch (IOException | RuntimeException e) {
          embedded.addSuppressed(e);
        }
      }
    }
    throw new IllegalStateException(
        "benchmark set-up: no Redis server could be started: the embedded-redis executable for"
            + " this platform did not start and there is no redis-server on the PATH. Install one"
            + " (apt-get install redis-server, brew install redis) and run the benchmark again.",
        embedded);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the benchmark's Redis server", e);
    }
  }

  int port() {
    return port;
  }

  /** A started Spring Data Redis connection factory for this server, as an application has. */
  LettuceConnectionFactory connections() {
    LettuceConnectionFactory connections =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
    connections.afterPropertiesSet();
    connections.start();
    return connections;
  }

  /** The Redis URI of this server, for clients built by hand. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Returns, per command, the calls the server has executed since start ({@code INFO
   * commandstats}): the commands clients sent and those that scripts ran inside the server.
   */
  Map<String, Long> commandCalls() {
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

  /** Sends one command on a new connection and returns its bulk-string or status answer. */
  private String command(String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
      for (String word : words) {
        request.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
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

  /** Stops the server, as a crash would: clients see their connection drop and refused. */
  void stop() {
    if (running) {
      running = false;
      try {
        server.stop();
      } catch (IOException e) {
        throw new UncheckedIOException("the benchmark's Redis server did not stop", e);
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
