package dev.resilience.benchmarks;

import dev.resilience.testredis.LocalRedisServer;
import io.github.bucket4j.Bucket;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Counts the Redis commands one decision costs, ours against Bucket4j's, on the buckets of {@link
 * RedisBenchmark}: a fixed number of decisions on one key, from 1 thread and from 8, and per
 * decision:
 *
 * <ul>
 *   <li><b>sent</b>: the commands the client library wrote to Redis (a Lettuce command listener on
 *       each library's client): the round trips a decision costs;
 *   <li><b>run by Redis</b>: the calls Redis counted in {@code INFO commandstats} meanwhile, which
 *       include the commands a script runs inside the server ({@code redis.call}).
 * </ul>
 *
 * <p>No JMH: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.resilience.benchmarks.RedisCommandCount [decisions]}, 10,000 decisions by default.
 */
public final class RedisCommandCount {

  /** Decisions counted per row, unless the first argument says otherwise. */
  static final int DECISIONS = 10_000;

  /** Decisions made before counting: connections, script cache and keys settle. */
  private static final int WARM_UP = 200;

  private RedisCommandCount() {}

  /** Prints the table for {@code args[0]} decisions per row (default {@value #DECISIONS}). */
  public static void main(String[] args) {
    int decisions = args.length > 0 ? Integer.parseInt(args[0]) : DECISIONS;
    print(count(decisions, 1, 8));
  }

  /** One row: a bucket at a thread count, and what its decisions cost in commands. */
  record Row(
      String subject,
      int threads,
      int decisions,
      int admitted,
      Map<String, Long> sent,
      Map<String, Long> run) {

    double sentPerDecision() {
      return sent.values().stream().mapToLong(Long::longValue).sum() / (double) decisions;
    }

    double runPerDecision() {
      return run.values().stream().mapToLong(Long::longValue).sum() / (double) decisions;
    }
  }

  /** Counts {@code decisions} decisions of every bucket at each thread count, on a fresh Redis. */
  static List<Row> count(int decisions, int... threadCounts) {
    Counter oursSent = new Counter();
    Counter bucket4jSent = new Counter();
    List<Row> rows = new ArrayList<>();
    try (LocalRedisServer redis = LocalRedisServer.start();
        RedisLimiters limiters =
            new RedisLimiters(redis, RedisBenchmark.TIMEOUT, oursSent, bucket4jSent)) {
      for (int threads : threadCounts) {
        String at = "-t" + threads;
        // a fresh key per row, so that no row starts from another's state
        rows.add(
            row(
                "ours",
                threads,
                decisions,
                limiters.ours("hot" + at, Admitting.ourConfig())::tryAcquire,
                redis,
                oursSent));
        rows.add(
            row(
                "ours, lease " + RedisLimiters.LEASE,
                threads,
                decisions,
                limiters.oursLeased("leased" + at, Admitting.ourConfig())::tryAcquire,
                redis,
                oursSent));
        rows.add(
            row(
                "bucket4j",
                threads,
                decisions,
                consuming(limiters.bucket4j("bucket4j:hot" + at, Admitting.bucket4jLimit())),
                redis,
                bucket4jSent));
        rows.add(
            row(
                "bucket4j, batching",
                threads,
                decisions,
                consuming(
                    limiters.bucket4jBatching(
                        "bucket4j:hot-batching" + at, Admitting.bucket4jLimit())),
                redis,
                bucket4jSent));
        rows.add(
            row(
                "ours, rejecting",
                threads,
                decisions,
                limiters.ours("empty" + at, RedisLimiters.EMPTYING)::tryAcquire,
                redis,
                oursSent));
        rows.add(
            row(
                "bucket4j, rejecting",
                threads,
                decisions,
                consuming(
                    limiters.bucket4j("bucket4j:empty" + at, RedisLimiters.bucket4jEmptying())),
                redis,
                bucket4jSent));
      }
      Sanity.check(
          limiters.oursErrors() == 0, "every decision of ours was Redis's, none timed out");
    }
    return rows;
  }

  /** Bucket4j's decision: {@code tryConsume(1)} on one proxy, built once. */
  private static BooleanSupplier consuming(Bucket bucket) {
    return () -> bucket.tryConsume(1);
  }

  private static Row row(
      String subject,
      int threads,
      int decisions,
      BooleanSupplier decide,
      LocalRedisServer redis,
      Counter sent) {
    for (int i = 0; i < WARM_UP; i++) {
      decide.getAsBoolean();
    }
    Map<String, Long> runBefore = redis.commandCalls();
    Map<String, Long> sentBefore = sent.snapshot();
    int admitted = decide(decide, threads, decisions);
    Map<String, Long> runAfter = redis.commandCalls();
    Map<String, Long> sentAfter = sent.snapshot();
    Map<String, Long> run = difference(runAfter, runBefore);
    run.remove("info"); // the count's own
    return new Row(subject, threads, decisions, admitted, difference(sentAfter, sentBefore), run);
  }

  /** Makes {@code decisions} decisions split among {@code threads}; returns how many admitted. */
  private static int decide(BooleanSupplier decide, int threads, int decisions) {
    Sanity.check(decisions % threads == 0, decisions + " decisions split among " + threads);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                int mine = 0;
                for (int i = 0; i < decisions / threads; i++) {
                  mine += decide.getAsBoolean() ? 1 : 0;
                }
                admitted.addAndGet(mine);
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      try {
        worker.join(Duration.ofMinutes(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while counting", e);
      }
      Sanity.check(!worker.isAlive(), "every counting thread ends within 2 minutes");
    }
    return admitted.get();
  }

  private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> difference = new TreeMap<>();
    after.forEach(
        (command, calls) -> {
          long added = calls - before.getOrDefault(command, 0L);
          if (added != 0) {
            difference.put(command, added);
          }
        });
    return difference;
  }

  /** Prints the rows as a markdown table. */
  static void print(List<Row> rows) {
    System.out.println(
        "| bucket | threads | decisions | admitted | sent per decision | run by Redis per decision |");
    System.out.println("|---|---:|---:|---:|---|---|");
    for (Row row : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %,d | %,d | %s | %s |%n",
          row.subject(),
          row.threads(),
          row.decisions(),
          row.admitted(),
          perDecision(row.sentPerDecision(), row.sent(), row.decisions()),
          perDecision(row.runPerDecision(), row.run(), row.decisions()));
    }
  }

  private static String perDecision(double total, Map<String, Long> calls, int decisions) {
    return String.format(Locale.ROOT, "**%.2f**", total)
        + calls.entrySet().stream()
            .map(
                call ->
                    String.format(
                        Locale.ROOT,
                        "%s %.2f",
                        call.getKey().toLowerCase(Locale.ROOT),
                        call.getValue() / (double) decisions))
            .collect(Collectors.joining(", ", " (", ")"));
  }

  /** Counts the commands a Lettuce client writes, by command. */
  private static final class Counter implements CommandListener {

    private final Map<String, LongAdder> started = new ConcurrentHashMap<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
      started
          .computeIfAbsent(event.getCommand().getType().toString(), type -> new LongAdder())
          .increment();
    }

    Map<String, Long> snapshot() {
      Map<String, Long> snapshot = new TreeMap<>();
      started.forEach((command, count) -> snapshot.put(command, count.sum()));
      return snapshot;
    }
  }
}
