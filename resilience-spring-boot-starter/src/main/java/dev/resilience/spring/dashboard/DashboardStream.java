package dev.resilience.spring.dashboard;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerSnapshot;
import dev.resilience.core.RateLimiter;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.dashboard.DashboardJson.Adaptive;
import dev.resilience.spring.dashboard.DashboardJson.Breaker;
import dev.resilience.spring.dashboard.DashboardJson.Bucket;
import dev.resilience.spring.events.ResilienceEvent;
import dev.resilience.spring.events.ResilienceEvent.Kind;
import dev.resilience.spring.events.ResilienceEvents;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The clients of {@code /resilience/stream} and what each is sent: a full snapshot when it
 * connects, then only changes.
 *
 * <p>Three kinds of thread, so that nothing a client does reaches a guarded call:
 *
 * <ul>
 *   <li>The thread of a breaker transition or of any recorded event (often a guarded call's) only
 *       marks the breaker as changed or queues the event, in bounded structures, and wakes the
 *       stream's own thread: no lock, no I/O.
 *   <li>The stream's own thread ({@code resilience-dashboard}) reads the registry, builds the
 *       messages and offers them to each client's queue; it also samples the buckets' tokens and
 *       the adaptive limits every {@value #SAMPLE_MILLIS} ms and sends those that changed. An offer
 *       never waits: a client whose queue of {@value #CLIENT_QUEUE} messages is full has fallen
 *       behind and is dropped (its page reconnects and starts again from a snapshot).
 *   <li>Writer threads, at most one per client at a time, write a client's queue to its connection.
 *       A client that stops reading blocks only its own writer.
 * </ul>
 *
 * <p>At most {@value #MAX_CLIENTS} pages are served at once; the next is answered 503.
 */
final class DashboardStream implements DisposableBean {

  private static final Log log = LogFactory.getLog(DashboardStream.class);

  /** Pages served at once: each holds a connection, a queue and, while writing, a thread. */
  static final int MAX_CLIENTS = 32;

  /** Messages a client may have waiting; a client further behind is dropped. */
  static final int CLIENT_QUEUE = 128;

  /** Events waiting for the stream's thread; more are dropped (the log keeps them). */
  static final int PENDING_EVENTS = ResilienceEvents.CAPACITY;

  /**
   * How often the buckets' tokens, the adaptive limits (and the breakers' time-driven moves) are
   * read.
   */
  static final long SAMPLE_MILLIS = 500;

  /** How often an idle stream sends a comment, so that gone clients and proxies notice. */
  static final long HEARTBEAT_MILLIS = 15_000;

  /**
   * How long one connection lasts; the browser then reconnects by itself and gets a fresh snapshot.
   * A bound, so that a connection nothing is ever written to still ends.
   */
  static final Duration CONNECTION_LIFETIME = Duration.ofMinutes(10);

  private final ResilienceRegistry registry;
  private final ResilienceEvents events;
  private final Supplier<? extends Map<String, AdaptiveLimit>> adaptiveLimits;
  private final Clock clock;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final Set<String> changedBreakers = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<ResilienceEvent> pendingEvents =
      new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private final Consumer<ResilienceEvent> subscriber = this::onEvent;
  private final ScheduledExecutorService own;
  private final ThreadPoolExecutor writers;

  /** The tokens last sent per bucket; read and written on the stream's own thread only. */
  private final Map<String, Double> lastTokens = new HashMap<>();

  /**
   * The adaptive limits as last sent, by name; read and written on the stream's own thread only.
   */
  private final Map<String, Seen> lastAdaptive = new HashMap<>();

  /**
   * @param adaptiveLimits the adaptive limits to show, by the name the page shows each under, in
   *     the order to show them; read again at every sample, so that limits created later appear
   */
  DashboardStream(
      ResilienceRegistry registry,
      ResilienceEvents events,
      Supplier<? extends Map<String, AdaptiveLimit>> adaptiveLimits,
      Clock clock) {
    this.registry = registry;
    this.events = events;
    this.adaptiveLimits = adaptiveLimits;
    this.clock = clock;
    this.own =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "resilience-dashboard"));
    AtomicInteger writerNumber = new AtomicInteger();
    // Twice the clients: a dropped client's writer may still be blocked on its dead connection
    // while a new client takes its place.
    this.writers =
        new ThreadPoolExecutor(
            0,
            2 * MAX_CLIENTS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            runnable ->
                daemon(runnable, "resilience-dashboard-writer-" + writerNumber.incrementAndGet()));
    events.subscribe(subscriber);
    own.scheduleWithFixedDelay(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    own.scheduleWithFixedDelay(
        this::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Opens a stream for a new page: it gets a snapshot first, then changes.
   *
   * @throws ResponseStatusException 503 when {@value #MAX_CLIENTS} pages are open already
   */
  SseEmitter connect() {
    if (clients.size() >= MAX_CLIENTS) {
      throw new ResponseStatusException(
          HttpStatus.SERVICE_UNAVAILABLE,
          MAX_CLIENTS + " live pages are open already; close one and reload");
    }
    SseEmitter emitter = new SseEmitter(CONNECTION_LIFETIME.toMillis());
    Client client = new Client(emitter);
    emitter.onCompletion(() -> remove(client));
    emitter.onTimeout(() -> remove(client));
    emitter.onError(error -> remove(client));
    clients.add(client);
    own.execute(() -> welcome(client));
    return emitter;
  }

  /** On the recording thread: queue the event and wake the stream's thread; nothing more. */
  private void onEvent(ResilienceEvent event) {
    if (clients.isEmpty()) {
      return;
    }
    if (event.kind() == Kind.TRANSITION || event.kind() == Kind.FORCED) {
      changedBreakers.add(event.name());
    }
    if (pendingCount.incrementAndGet() <= PENDING_EVENTS) {
      pendingEvents.add(event);
    } else {
      pendingCount.decrementAndGet();
    }
    if (flushScheduled.compareAndSet(false, true)) {
      try {
        own.execute(this::flush);
      } catch (RejectedExecutionException e) {
        flushScheduled.set(false); // shut down: no page to tell
      }
    }
  }

  /** On the stream's thread: the breakers that changed and the events since the last flush. */
  private void flush() {
    flushScheduled.set(false);
    List<Message> messages = new ArrayList<>();
    for (String name : changedBreakers) {
      changedBreakers.remove(name);
      CircuitBreaker breaker = registry.findCircuitBreaker(name);
      if (breaker != null) {
        messages.add(new Message("breaker", DashboardJson.breaker(describe(breaker)), -1));
      }
    }
    ResilienceEvent event;
    while ((event = pendingEvents.poll()) != null) {
      pendingCount.decrementAndGet();
      messages.add(new Message("event", DashboardJson.event(event), event.sequence()));
    }
    for (Client client : clients) {
      if (client.welcomed) {
        for (Message message : messages) {
          boolean seen = message.sequence >= 0 && message.sequence <= client.lastEventSequence;
          if (!seen && !offer(client, message)) {
            break;
          }
        }
      }
    }
  }

  /** On the stream's thread: the first message of a new page, everything as it is now. */
  private void welcome(Client client) {
    if (client.closed) {
      return;
    }
    sample(); // brings lastTokens up to now, so the snapshot and later changes agree
    List<Breaker> breakers = new ArrayList<>();
    registry.circuitBreakers().values().forEach(breaker -> breakers.add(describe(breaker)));
    List<Bucket> buckets = new ArrayList<>();
    registry
        .rateLimiters()
        .forEach(
            (name, limiter) -> {
              Double tokens = lastTokens.get(name);
              buckets.add(bucket(name, limiter, tokens == null ? tokens(limiter) : tokens));
            });
    List<Adaptive> adaptive = new ArrayList<>();
    adaptiveLimits.get().forEach((name, limit) -> adaptive.add(describe(name, limit, null)));
    List<ResilienceEvent> recent = events.recent();
    client.lastEventSequence = recent.isEmpty() ? -1 : recent.get(0).sequence();
    client.welcomed = true;
    offer(
        client,
        new Message("snapshot", DashboardJson.snapshot(breakers, buckets, adaptive, recent), -1));
  }

  /**
   * On the stream's thread, every {@value #SAMPLE_MILLIS} ms while a page is open: sends the
   * buckets whose tokens changed and the adaptive limits that moved, and reads each breaker's
   * state, so that a move the passing of time has made due (OPEN to HALF_OPEN) happens, is recorded
   * and reaches the pages.
   */
  private void sample() {
    if (clients.isEmpty()) {
      lastTokens.clear(); // the next page starts from a snapshot anyway
      lastAdaptive.clear();
      return;
    }
    registry.circuitBreakers().values().forEach(CircuitBreaker::state);
    List<Bucket> changed = new ArrayList<>();
    registry
        .rateLimiters()
        .forEach(
            (name, limiter) -> {
              double tokens = tokens(limiter);
              Double last = lastTokens.put(name, tokens);
              if (last == null || last != tokens) {
                changed.add(bucket(name, limiter, tokens));
              }
            });
    if (!changed.isEmpty()) {
      sendToWelcomed(new Message("buckets", DashboardJson.buckets(changed), -1));
    }
    List<Adaptive> moved = new ArrayList<>();
    adaptiveLimits
        .get()
        .forEach(
            (name, limit) -> {
              Adaptive now = describe(name, limit, lastAdaptive);
              if (now != null) {
                moved.add(now);
              }
            });
    if (!moved.isEmpty()) {
      sendToWelcomed(new Message("adaptive", DashboardJson.adaptive(moved), -1));
    }
  }

  private void sendToWelcomed(Message message) {
    for (Client client : clients) {
      if (client.welcomed) {
        offer(client, message);
      }
    }
  }

  /**
   * Describes an adaptive limit as it is now, dating its last move as the actuator does: the wall
   * clock now minus the ticker's time since. With {@code seen}, records what it describes there,
   * and returns null when nothing moved since the last call.
   */
  private @Nullable Adaptive describe(
      String name, AdaptiveLimit limit, @Nullable Map<String, Seen> seen) {
    int current = limit.limit();
    int inFlight = limit.inFlight();
    AdaptiveLimit.Change change = limit.lastChange();
    if (seen != null) {
      Seen now = new Seen(current, inFlight, change);
      if (now.equals(seen.put(name, now))) {
        return null;
      }
    }
    long ago = Math.max(0, registry.ticker().read() - change.atNanos());
    return new Adaptive(
        name,
        current,
        inFlight,
        limit.config().minLimit(),
        limit.config().maxLimit(),
        change.oldLimit(),
        change.newLimit(),
        change.reason(),
        clock.instant().minusNanos(ago).truncatedTo(ChronoUnit.MILLIS).toString());
  }

  private void heartbeat() {
    Message ping = new Message(null, "ping", -1);
    for (Client client : clients) {
      offer(client, ping);
    }
  }

  /** Tokens to the hundredth: finer changes are refill noise nobody reads on a page. */
  private static double tokens(RateLimiter limiter) {
    return Math.round(limiter.availableTokens() * 100) / 100.0;
  }

  private static Bucket bucket(String name, RateLimiter limiter, double tokens) {
    return new Bucket(name, tokens, limiter.config().burst(), limiter.config().capacityPerSecond());
  }

  private static Breaker describe(CircuitBreaker breaker) {
    CircuitBreakerSnapshot snapshot = breaker.snapshot();
    return new Breaker(breaker.name(), snapshot.state().name(), snapshot.forced());
  }

  /**
   * Queues {@code message} for {@code client} without waiting, and makes sure a writer is on it;
   * drops the client when its queue is full.
   *
   * @return whether the client is still served
   */
  private boolean offer(Client client, Message message) {
    if (client.closed) {
      return false;
    }
    if (message.sequence >= 0) {
      client.lastEventSequence = message.sequence;
    }
    if (!client.queue.offer(message)) {
      dropped.incrementAndGet();
      log.debug("A live page fell " + CLIENT_QUEUE + " messages behind; dropping its stream");
      close(client);
      return false;
    }
    write(client);
    return true;
  }

  /** Starts a writer for {@code client} unless one is at work on it already. */
  private void write(Client client) {
    if (client.writing.compareAndSet(false, true)) {
      try {
        writers.execute(() -> drain(client));
      } catch (RejectedExecutionException e) {
        client.writing.set(false);
        remove(client);
      }
    }
  }

  /** On a writer thread: writes the client's queue to its connection until it is empty. */
  private void drain(Client client) {
    try {
      Message message;
      while (!client.closed && (message = client.queue.poll()) != null) {
        SseEmitter.SseEventBuilder frame =
            message.name == null
                ? SseEmitter.event().comment(message.data)
                : SseEmitter.event().name(message.name).data(message.data);
        client.emitter.send(frame);
      }
    } catch (IOException | RuntimeException e) {
      // the page is gone (or the container has ended the response): forget it
      remove(client);
    } finally {
      client.writing.set(false);
    }
    if (client.closed) {
      client.complete();
    } else if (!client.queue.isEmpty()) {
      write(client); // a message arrived between the last poll and the flag's reset
    }
  }

  /** Drops a client that fell behind: its writer, blocked or not, ends its response. */
  private void close(Client client) {
    remove(client);
    write(client);
  }

  private void remove(Client client) {
    client.closed = true;
    clients.remove(client);
    client.queue.clear();
  }

  /** The pages served now. */
  int clients() {
    return clients.size();
  }

  /** The messages waiting for each page served now. */
  List<Integer> queued() {
    List<Integer> sizes = new ArrayList<>();
    clients.forEach(client -> sizes.add(client.queue.size()));
    return sizes;
  }

  /** The pages dropped for falling behind, since start-up. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void destroy() {
    events.unsubscribe(subscriber);
    own.shutdownNow();
    for (Client client : clients) {
      remove(client);
      client.complete();
    }
    writers.shutdownNow();
  }

  /**
   * One message of the stream: an SSE event of that name, or a comment when the name is null.
   *
   * @param sequence the event's sequence number for an {@code event} message, else -1
   */
  private record Message(@Nullable String name, String data, long sequence) {}

  /** What was last sent of an adaptive limit. */
  private record Seen(int limit, int inFlight, AdaptiveLimit.Change change) {}

  /** One open page. */
  private static final class Client {

    final SseEmitter emitter;
    final ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE);
    final AtomicBoolean writing = new AtomicBoolean();
    final AtomicBoolean completed = new AtomicBoolean();
    volatile boolean closed;

    /** Whether it has had its snapshot; changes before it would be in the snapshot anyway. */
    volatile boolean welcomed;

    /** The newest event it has been sent; stream thread only. */
    long lastEventSequence = -1;

    Client(SseEmitter emitter) {
      this.emitter = emitter;
    }

    /** Ends the response once, ignoring a container that has ended it already. */
    void complete() {
      if (completed.compareAndSet(false, true)) {
        try {
          emitter.complete();
        } catch (RuntimeException e) {
          // already ended by the container (error, timeout): nothing to do
        }
      }
    }
  }
}
