package dev.resilience.spring.events;

import dev.resilience.spring.events.ResilienceEvent.Kind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The last {@value #CAPACITY} events of the breakers, the buckets and their backend, newest first:
 * what {@code GET /actuator/resilience/events} and the live page show.
 *
 * <p>Recording is cheap and takes no lock, because breaker transitions are recorded on the thread
 * of the call that caused them: it claims a sequence number and writes one slot of a ring, so the
 * log never holds more than {@value #CAPACITY} events and the oldest is overwritten. The starter
 * records every breaker transition itself; the operator's actions and the Redis backend's switches
 * are recorded where they are decided. Applications may record their own with {@link #record}.
 *
 * <p>Subscribers ({@link #subscribe}) are told of each event on the recording thread, after it is
 * in the log; they must not block (the live page only queues it for its own thread).
 */
public final class ResilienceEvents {

  /** How many events the log keeps; a power of two, so a slot is a sequence number's low bits. */
  public static final int CAPACITY = 256;

  private static final Log log = LogFactory.getLog(ResilienceEvents.class);

  private final Clock clock;
  private final AtomicLong next = new AtomicLong();
  private final AtomicReferenceArray<@Nullable ResilienceEvent> slots =
      new AtomicReferenceArray<>(CAPACITY);
  private final List<Consumer<ResilienceEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** Creates an empty log dating events by the system clock in UTC. */
  public ResilienceEvents() {
    this(Clock.systemUTC());
  }

  /**
   * Creates an empty log.
   *
   * @param clock the wall clock that dates events; tests pass a fixed one
   */
  public ResilienceEvents(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records an event now, overwriting the oldest when the log is full, and tells the subscribers.
   *
   * @param kind what happened
   * @param name the breaker, endpoint or backend it happened to
   * @param from the state or value before, or null
   * @param to the state or value after, or null
   * @param detail anything else worth reading (who did it, why), or null
   * @return the event as recorded, with its sequence number and time
   */
  public ResilienceEvent record(
      Kind kind, String name, @Nullable String from, @Nullable String to, @Nullable String detail) {
    long sequence = next.getAndIncrement();
    ResilienceEvent event =
        new ResilienceEvent(sequence, clock.instant(), kind, name, from, to, detail);
    store(event);
    for (Consumer<ResilienceEvent> subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        // a subscriber's failure must not reach the guarded call that caused the event
        log.warn("A subscriber to resilience events failed on " + event, e);
      }
    }
    return event;
  }

  /** Returns the events in the log, newest first; at most {@value #CAPACITY}. */
  public List<ResilienceEvent> recent() {
    long end = next.get();
    List<ResilienceEvent> events = new ArrayList<>(CAPACITY);
    for (int i = 0; i < CAPACITY; i++) {
      ResilienceEvent event = slots.get(i);
      // a slot rewritten while we read holds a newer event than we started from: leave it for the
      // next read, so that what we return is the log as it was at one moment
      if (event != null && event.sequence() < end && event.sequence() >= end - CAPACITY) {
        events.add(event);
      }
    }
    events.sort(Comparator.comparingLong(ResilienceEvent::sequence).reversed());
    return events;
  }

  /**
   * Tells {@code subscriber} of every event recorded from now on, on the recording thread, until
   * {@link #unsubscribe}. It must return at once: it runs inside guarded calls.
   */
  public void subscribe(Consumer<ResilienceEvent> subscriber) {
    subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
  }

  /** Stops telling {@code subscriber}; nothing happens if it was not subscribed. */
  public void unsubscribe(Consumer<ResilienceEvent> subscriber) {
    subscribers.remove(subscriber);
  }

  /**
   * Writes {@code event} into its slot unless a newer event holds it: a recorder descheduled
   * between taking its number and writing may come back after one {@value #CAPACITY} numbers newer
   * has taken the slot; the newer stays, the older is out of the log already.
   */
  void store(ResilienceEvent event) {
    int slot = slot(event.sequence());
    for (ResilienceEvent held = slots.get(slot);
        held == null || held.sequence() < event.sequence();
        held = slots.get(slot)) {
      if (slots.compareAndSet(slot, held, event)) {
        return;
      }
    }
  }

  private static int slot(long sequence) {
    return (int) (sequence & (CAPACITY - 1));
  }
}
