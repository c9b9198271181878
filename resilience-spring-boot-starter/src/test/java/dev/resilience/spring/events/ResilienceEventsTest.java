package dev.resilience.spring.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.events.ResilienceEvent.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The bounded log: newest first, never more than its capacity, cheap to write from many threads.
 */
class ResilienceEventsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:15:30.123Z");

  private final ResilienceEvents events = new ResilienceEvents(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void whenEventsAreRecordedThenTheyAreListedNewestFirstWithTheirTimeAndParts() {
    events.record(Kind.TRANSITION, "exchange", "CLOSED", "OPEN", null);
    events.record(Kind.LIMIT, "place_order", "5.0/s burst 10", "2.0/s burst 4", "by alice");

    List<ResilienceEvent> recent = events.recent();

    assertThat(recent)
        .containsExactly(
            new ResilienceEvent(
                1, NOW, Kind.LIMIT, "place_order", "5.0/s burst 10", "2.0/s burst 4", "by alice"),
            new ResilienceEvent(0, NOW, Kind.TRANSITION, "exchange", "CLOSED", "OPEN", null));
  }

  @Test
  void whenMoreThanTheCapacityAreRecordedThenOnlyTheNewestAreKept() {
    for (int i = 0; i < 1000; i++) {
      events.record(Kind.BACKEND, "redis", null, null, "event " + i);
    }

    List<ResilienceEvent> recent = events.recent();

    assertThat(recent).hasSize(ResilienceEvents.CAPACITY);
    assertThat(recent.get(0).detail()).isEqualTo("event 999");
    assertThat(recent.get(ResilienceEvents.CAPACITY - 1).detail())
        .isEqualTo("event " + (1000 - ResilienceEvents.CAPACITY));
  }

  @Test
  void whenARecorderWritesLateThenTheNewerEventInItsSlotStays() {
    ResilienceEvents log = new ResilienceEvents();
    for (int i = 0; i <= 300; i++) {
      log.record(Kind.TRANSITION, "b", "CLOSED", "OPEN", null);
    }
    // event 44 took its number long ago, and its recorder writes only now, into the slot of 300
    log.store(new ResilienceEvent(44, Instant.EPOCH, Kind.TRANSITION, "late", null, null, null));

    List<Long> sequences = log.recent().stream().map(ResilienceEvent::sequence).toList();
    assertThat(sequences).hasSize(256).startsWith(300L, 299L).endsWith(46L, 45L);
  }

  @Test
  void whenEightThreadsRecordAtOnceThenTheLogHoldsTheNewestCapacityWithoutGapsOrRepeats()
      throws Exception {
    // a recorder descheduled between its number and its write is rare: many rounds to meet one
    for (int round = 0; round < 40; round++) {
      ResilienceEvents log = new ResilienceEvents();
      int threads = 8;
      int each = 5_000;
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> recorders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread recorder =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < each; i++) {
                    log.record(Kind.TRANSITION, "b", "CLOSED", "OPEN", null);
                  }
                });
        recorder.start();
        recorders.add(recorder);
      }
      start.countDown();
      for (Thread recorder : recorders) {
        recorder.join();
      }

      List<Long> sequences = log.recent().stream().map(ResilienceEvent::sequence).toList();
      List<Long> expected = new ArrayList<>();
      for (long s = (long) threads * each - 1; s >= (long) threads * each - 256; s--) {
        expected.add(s);
      }
      assertThat(sequences).as("round " + round).isEqualTo(expected);
    }
  }

  @Test
  void whenASubscriberFailsThenTheEventIsStillRecordedAndOthersAreStillTold() {
    List<ResilienceEvent> told = new CopyOnWriteArrayList<>();
    events.subscribe(
        event -> {
          throw new IllegalStateException("a broken subscriber");
        });
    events.subscribe(told::add);

    ResilienceEvent recorded = events.record(Kind.FORCED, "exchange", "CLOSED", "OPEN", "open");

    assertThat(told).containsExactly(recorded);
    assertThat(events.recent()).containsExactly(recorded);
  }

  @Test
  void whenUnsubscribedThenASubscriberIsNoLongerTold() {
    List<ResilienceEvent> told = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<ResilienceEvent> subscriber = told::add;
    events.subscribe(subscriber);
    events.unsubscribe(subscriber);

    events.record(Kind.FORCED, "exchange", null, null, null);

    assertThat(told).isEmpty();
  }
}
