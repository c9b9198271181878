package dev.resilience.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.events.ResilienceEvent.Kind;
import dev.resilience.spring.events.ResilienceEvents;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpServerErrorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /resilience/stream} of a running application, read by real HTTP clients. */
@SpringBootTest(
    classes = DashboardApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      DashboardApplication.DASHBOARD,
      DashboardApplication.ADAPTIVE_QUOTE,
      DashboardApplication.QUOTE_INITIAL,
      DashboardApplication.QUOTE_MAX
    })
class DashboardStreamHttpTest {

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @Autowired ResilienceEvents events;

  @Autowired DashboardStream stream;

  @Autowired DashboardApplication.Exchange exchange;

  @BeforeEach
  void noPageOpen() {
    registry.circuitBreaker("exchange").reset();
    // a page a test closed is forgotten at the next write to it
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              events.record(Kind.FORCED, "exchange", null, null, "a write to find closed pages");
              return stream.clients() == 0;
            });
  }

  @AfterEach
  void closeBreaker() {
    registry.circuitBreaker("exchange").reset();
  }

  /** One SSE message as a page receives it. */
  record Message(String event, String data) {}

  /** Reads a stream's messages on a thread of its own, so that a test can wait with a timeout. */
  static final class Reader implements AutoCloseable {

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Stream<String> lines;

    Reader(int port) throws Exception {
      HttpResponse<Stream<String>> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + port + "/resilience/stream"))
                      .header("Accept", "text/event-stream")
                      .build(),
                  HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
      lines = response.body();
      Thread reader =
          new Thread(
              () -> {
                String event = null;
                Iterator<String> it = lines.iterator();
                try {
                  while (it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("event:")) {
                      event = line.substring("event:".length());
                    } else if (line.startsWith("data:") && event != null) {
                      messages.add(new Message(event, line.substring("data:".length())));
                      event = null;
                    }
                  }
                } catch (RuntimeException closed) {
                  // the test closed the stream
                }
              },
              "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next message of this event name, skipping others; fails after 5 s. */
    Message next(String event) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        Message message = messages.poll(100, TimeUnit.MILLISECONDS);
        if (message != null && message.event().equals(event)) {
          return message;
        }
      }
      throw new AssertionError("no '" + event + "' message within 5 s");
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  @Test
  void whenAPageConnectsThenItGetsASnapshotAndThenTheBreakerThatChangedAndItsEvent()
      throws Exception {
    try (Reader page = new Reader(port)) {
      JsonNode snapshot = json(page.next("snapshot").data());
      assertThat(snapshot.propertyNames())
          .containsExactly("breakers", "buckets", "adaptive", "events");
      assertThat(snapshot.get("breakers").toString())
          .isEqualTo("[{\"name\":\"exchange\",\"state\":\"CLOSED\",\"forced\":false}]");
      JsonNode bucket = snapshot.get("buckets").get(0);
      assertThat(bucket.get("name").asString()).isEqualTo("place_order");
      // another test may have taken tokens that are not back yet
      assertThat(bucket.get("availableTokens").asDouble()).isBetween(0.0, 16.0);
      assertThat(bucket.get("burst").asInt()).isEqualTo(16);
      assertThat(bucket.get("capacityPerSecond").asDouble()).isEqualTo(8.0);
      assertThat(snapshot.get("events").isArray()).isTrue();

      registry.circuitBreaker("exchange").forceOpen();

      assertThat(page.next("breaker").data())
          .isEqualTo("{\"name\":\"exchange\",\"state\":\"OPEN\",\"forced\":true}");
      assertThat(page.next("event").data())
          .matches(
              "\\{\"sequence\":\\d+,\"time\":\"[0-9T:.\\-]+Z\",\"kind\":\"transition\","
                  + "\"name\":\"exchange\",\"from\":\"CLOSED\",\"to\":\"OPEN\"}");
    }
  }

  @Test
  void whenAnEndpointHasAnAdaptiveLimitThenTheSnapshotListsItAndOnlyIt() throws Exception {
    AdaptiveLimit quote = registry.guards().get("quote").adaptiveLimit();
    AdaptiveLimit.Change change = quote.lastChange();
    Instant before = Instant.now();
    try (Reader page = new Reader(port)) {
      JsonNode adaptive = json(page.next("snapshot").data()).get("adaptive");

      assertThat(adaptive.size()).as("place_order has no adaptive limit: not listed").isOne();
      JsonNode limit = adaptive.get(0);
      assertThat(limit.propertyNames())
          .containsExactly("name", "limit", "inFlight", "minLimit", "maxLimit", "lastChange");
      assertThat(limit.get("name").asString()).isEqualTo("quote");
      assertThat(limit.get("limit").asInt()).isEqualTo(quote.limit());
      assertThat(limit.get("inFlight").asInt()).isZero();
      assertThat(limit.get("minLimit").asInt()).isEqualTo(1);
      assertThat(limit.get("maxLimit").asInt()).isEqualTo(20);
      JsonNode last = limit.get("lastChange");
      assertThat(last.propertyNames()).containsExactly("from", "to", "reason", "time");
      assertThat(last.get("from").asInt()).isEqualTo(change.oldLimit());
      assertThat(last.get("to").asInt()).isEqualTo(change.newLimit());
      assertThat(last.get("reason").asString()).isEqualTo(change.reason());
      assertThat(Instant.parse(last.get("time").asString())).isBefore(before.plusSeconds(1));
    }
  }

  @Test
  void whenACallIsDroppedThenTheNextSampleSendsTheShrunkLimitAndWhy() throws Exception {
    AdaptiveLimit quote = registry.guards().get("quote").adaptiveLimit();
    try (Reader page = new Reader(port)) {
      page.next("snapshot");
      int limit = quote.limit();
      Instant dropped = Instant.now().minusMillis(1);

      assertThatThrownBy(() -> exchange.quote(true)).isInstanceOf(HttpServerErrorException.class);

      int shrunk = (int) (limit * 0.9); // the default backoff ratio
      assertThat(quote.limit()).as("the drop shrank the limit").isEqualTo(shrunk);
      JsonNode sent = json(page.next("adaptive").data());
      assertThat(sent.size()).isOne();
      assertThat(sent.get(0).get("name").asString()).isEqualTo("quote");
      assertThat(sent.get(0).get("limit").asInt()).isEqualTo(shrunk);
      assertThat(sent.get(0).get("inFlight").asInt()).isZero();
      JsonNode last = sent.get(0).get("lastChange");
      assertThat(last.get("from").asInt()).isEqualTo(limit);
      assertThat(last.get("to").asInt()).isEqualTo(shrunk);
      assertThat(last.get("reason").asString()).isEqualTo("drop: 503");
      assertThat(Instant.parse(last.get("time").asString()))
          .isBetween(dropped, Instant.now().plusMillis(1));
    }
  }

  @Test
  void whenTokensAreTakenThenTheNextSampleSendsTheBucket() throws Exception {
    try (Reader page = new Reader(port)) {
      page.next("snapshot");

      RateLimiter bucket = registry.rateLimiter("place_order");
      while (bucket.tryAcquire()) {
        // empty it: at 8 per second it is full again in 2 s, so a sample must see it lower
      }

      JsonNode sent = json(page.next("buckets").data()).get(0);
      assertThat(sent.get("name").asString()).isEqualTo("place_order");
      assertThat(sent.get("availableTokens").asDouble()).isLessThan(16.0);
    }
  }

  @Test
  void whenAPageStopsReadingThenItsQueueStaysBoundedAndItIsDropped() throws Exception {
    long droppedBefore = stream.dropped();
    try (Socket silent = new Socket()) {
      silent.setReceiveBufferSize(1024); // fills at once: the server's writes soon block
      silent.connect(new java.net.InetSocketAddress("localhost", port));
      request(silent);
      await().atMost(Duration.ofSeconds(5)).until(() -> stream.clients() == 1);

      String detail = "x".repeat(4096);
      int largest = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (stream.dropped() == droppedBefore && System.nanoTime() < deadline) {
        events.record(Kind.LIMIT, "place_order", "a", "b", detail);
        for (int queued : stream.queued()) {
          largest = Math.max(largest, queued);
        }
        Thread.sleep(0, 200_000); // let the stream's thread keep up, as a real event rate would
      }

      assertThat(stream.dropped()).as("the silent page was dropped").isEqualTo(droppedBefore + 1);
      assertThat(largest)
          .as("its queue never grew past its bound")
          .isLessThanOrEqualTo(DashboardStream.CLIENT_QUEUE);
      assertThat(stream.clients()).isZero();
    }
  }

  @Test
  void whenAPageDisconnectsThenItIsRemoved() throws Exception {
    try (Socket page = new Socket("localhost", port)) {
      request(page);
      InputStream in = page.getInputStream();
      StringBuilder read = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (!read.toString().contains("event:snapshot")) {
        int n = in.read(buffer);
        assertThat(n).as("the stream answers").isPositive();
        read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      assertThat(stream.clients()).isOne();
    }

    // the next writes find the connection gone
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              events.record(Kind.FORCED, "exchange", null, null, "a write to the gone page");
              return stream.clients() == 0;
            });
  }

  private static JsonNode json(String text) {
    return JsonMapper.builder().build().readTree(text);
  }

  private static void request(Socket socket) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /resilience/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
