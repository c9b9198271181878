package dev.resilience.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every Redis measurement and prints them as markdown tables: {@link RedisBenchmark} at 1, 2
 * and 8 threads (decisions per second, p50/p99/p99.9 latency), {@link RedisCommandCount}, and
 * {@link RedisDownBenchmark} at 1 and 8 threads with the decisions right after Redis stops. Each
 * benchmark starts its own redis-server, so nothing needs to be running.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.RedisReport [--smoke|--full]
 * </pre>
 *
 * Default settings: 1 fork, 2 × 1 s warm-up, 3 × 1 s measurement per benchmark, about 6 minutes in
 * all; {@code --full}: 2 forks, 5 × 2 s and 5 × 2 s, about 30 minutes; {@code --smoke}: proves the
 * pipeline, measures nothing. JMH's own output goes to a log file whose path is printed first.
 */
public final class RedisReport {

  private static final int[] THREADS = {1, 2, 8};
  private static final int[] DOWN_THREADS = {1, 8};

  private RedisReport() {}

  public static void main(String[] args) throws RunnerException, IOException {
    String mode = args.length == 0 ? "--short" : args[0];
    ChainedOptionsBuilder settings =
        switch (mode) {
          case "--smoke" -> settings(1, 1, 200, 1, 200);
          case "--short" -> settings(1, 2, 1000, 3, 1000);
          case "--full" -> settings(2, 5, 2000, 5, 2000);
          default ->
              throw new IllegalArgumentException(
                  "unknown option " + mode + ": expected --smoke, --full or nothing");
        };
    Path log = Files.createTempFile("redis-jmh-", ".log");
    System.err.println("JMH's output: " + log);
    Options base = settings.output(log.toString()).build();

    List<RunResult> results = new ArrayList<>();
    for (int threads : THREADS) {
      results.addAll(run(base, RedisBenchmark.class, threads));
    }
    List<RunResult> down = new ArrayList<>();
    for (int threads : DOWN_THREADS) {
      down.addAll(run(base, RedisDownBenchmark.class, threads));
    }

    System.out.println("## Redis: one hot key (" + mode.substring(2) + " settings)");
    System.out.println();
    System.out.println(
        "Machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + System.getProperty("java.vm.version")
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch"));
    System.out.println();
    printDecisions(results);
    System.out.println();
    System.out.println("## Redis commands per decision");
    System.out.println();
    RedisCommandCount.print(RedisCommandCount.count(RedisCommandCount.DECISIONS, 1, 8));
    System.out.println();
    System.out.println("## Decisions while Redis is down (timeout 20 ms, on-failure local)");
    System.out.println();
    printDecisions(down);
    System.out.println();
    System.out.println(
        "The first decisions after the server stops, one thread, in µs: "
            + LongStream.of(RedisDownBenchmark.firstDecisionsAfterStop(8))
                .mapToObj(nanos -> String.format(Locale.ROOT, "%,.0f", nanos / 1000.0))
                .collect(Collectors.joining(", ")));
  }

  private static ChainedOptionsBuilder settings(
      int forks, int warmups, int warmupMillis, int iterations, int iterationMillis) {
    return new OptionsBuilder()
        .forks(forks)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.milliseconds(warmupMillis))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.milliseconds(iterationMillis))
        .timeUnit(TimeUnit.MICROSECONDS)
        .shouldFailOnError(true);
  }

  private static Collection<RunResult> run(Options base, Class<?> benchmark, int threads)
      throws RunnerException {
    String only = "^" + benchmark.getName().replace(".", "\\.") + "\\.";
    return new Runner(new OptionsBuilder().parent(base).include(only).threads(threads).build())
        .run();
  }

  /** One row per benchmark and thread count: throughput, then the latency percentiles. */
  private static void printDecisions(List<RunResult> results) {
    Map<String, Row> rows = new TreeMap<>();
    for (RunResult result : results) {
      BenchmarkParams params = result.getParams();
      String benchmark = params.getBenchmark();
      String name =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      Row row =
          rows.computeIfAbsent(
              String.format(Locale.ROOT, "%s %03d", name, params.getThreads()),
              key -> new Row(name, params.getThreads()));
      switch (params.getMode()) {
        case Throughput -> {
          // ops/µs of all threads together
          row.perSecond = result.getPrimaryResult().getScore() * 1e6;
          row.perSecondError = result.getPrimaryResult().getScoreError() * 1e6;
        }
        case SampleTime -> {
          var statistics = result.getPrimaryResult().getStatistics();
          row.p50 = statistics.getPercentile(50);
          row.p99 = statistics.getPercentile(99);
          row.p999 = statistics.getPercentile(99.9);
          row.max = statistics.getMax();
        }
        default -> throw new IllegalStateException("unexpected mode " + params.getMode());
      }
    }
    System.out.println(
        "| benchmark | threads | decisions/s | p50 µs | p99 µs | p99.9 µs | max µs |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    rows.values().stream()
        .sorted(Comparator.comparing((Row row) -> row.name).thenComparingInt(row -> row.threads))
        .forEach(
            row ->
                System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %s | %s |%n",
                    row.name,
                    row.threads,
                    perSecond(row),
                    micros(row.p50),
                    micros(row.p99),
                    micros(row.p999),
                    micros(row.max)));
  }

  /** Decisions per second with JMH's error, which a single iteration does not have. */
  private static String perSecond(Row row) {
    if (Double.isNaN(row.perSecond)) {
      return "n/a";
    }
    String value = String.format(Locale.ROOT, "%,.0f", row.perSecond);
    return Double.isNaN(row.perSecondError)
        ? value
        : value + String.format(Locale.ROOT, " ± %,.0f", row.perSecondError);
  }

  private static String micros(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%,.0f", value);
  }

  private static final class Row {

    final String name;
    final int threads;
    double perSecond = Double.NaN;
    double perSecondError = Double.NaN;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    double p999 = Double.NaN;
    double max = Double.NaN;

    Row(String name, int threads) {
      this.name = name;
      this.threads = threads;
    }
  }
}
