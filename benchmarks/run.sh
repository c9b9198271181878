#!/usr/bin/env bash
# Builds the benchmarks jar, runs the JMH suite at 1 and at 2 threads with the GC profiler, and
# prints one markdown table (benchmark, threads, ns/op ± error, ops/µs, B/op), then the memory
# footprint tables (JOL): per component, and per live key at 10^6 keys. Run it from anywhere, on a
# quiet machine; CI never runs it.
#
#   benchmarks/run.sh                   short settings, about 5 minutes
#   benchmarks/run.sh --full            long settings, for numbers worth quoting: about 35 minutes
#   benchmarks/run.sh --smoke           tiniest settings: proves the pipeline, measures nothing
#   benchmarks/run.sh 'Limiter|Reject'  only the benchmarks matching a JMH regex (with any mode)
#   benchmarks/run.sh --redis           the Redis benchmarks instead (about 6 min), ours and
#                                       Bucket4j on a redis-server they start (RedisReport)
#
# JMH's own output goes to benchmarks/target/results/jmh-t<threads>.log, its JSON next to it.
# Set JAVA_HOME to benchmark another JDK.
set -euo pipefail

usage() {
  sed -n '2,15s/^# \{0,1\}//p' "$0"
}

mode=short
redis=false
include=()
for arg in "$@"; do
  case "$arg" in
    --full) mode=full ;;
    --smoke) mode=smoke ;;
    --redis) redis=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*)
      echo "unknown option: $arg (try --help)" >&2
      exit 2
      ;;
    *) include=("$arg") ;;
  esac
done

# forks, warmup iterations × milliseconds, measurement iterations × milliseconds
case "$mode" in
  smoke) forks=1 warmups=1 warmup_ms=200 iterations=1 iteration_ms=200 ;;
  short) forks=1 warmups=2 warmup_ms=1000 iterations=3 iteration_ms=1000 ;;
  full) forks=2 warmups=5 warmup_ms=2000 iterations=5 iteration_ms=2000 ;;
esac
settings=(-f "$forks" -wi "$warmups" -w "${warmup_ms}ms" -i "$iterations" -r "${iteration_ms}ms")

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=benchmarks/target/benchmarks.jar
results=benchmarks/target/results

echo "Building $jar ..." >&2
./mvnw -B -q -pl benchmarks -am package -DskipTests -Djcstress.skip=true
mkdir -p "$results"

if [ "$redis" = true ]; then
  # throughput and latency percentiles, not ns/op: RedisReport runs them and prints their tables
  exec "$java" -cp "$jar" dev.resilience.benchmarks.RedisReport "--$mode"
fi
# the Redis benchmarks need their own report (above); JMH's -e leaves them out here
exclude=(-e 'Redis')

count="$("$java" -jar "$jar" -l ${include[@]+"${include[@]}"} "${exclude[@]}" | tail -n +2 | grep -c . || true)"
if [ "$count" -eq 0 ]; then
  echo "no benchmark matches '${include[*]}'" >&2
  exit 2
fi
seconds=$((count * forks * (warmups * warmup_ms + iterations * iteration_ms) * 2 / 1000))
echo "Running $count benchmarks at 1 and 2 threads, $mode settings (${settings[*]}):" \
  "about $(((seconds + 59) / 60)) min of measurement, plus a JVM start per fork." >&2

for threads in 1 2; do
  log="$results/jmh-t$threads.log"
  echo "  $threads thread(s): log in $log" >&2
  # -foe: a benchmark whose set-up check fails stops the run instead of leaving a hole in the table
  if ! "$java" -jar "$jar" ${include[@]+"${include[@]}"} "${exclude[@]}" "${settings[@]}" -t "$threads" -foe true \
    -prof gc -rf json -rff "$results/jmh-t$threads.json" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "JMH failed at $threads thread(s); the whole log is $log" >&2
    exit 1
  fi
done

echo
echo "## Benchmarks ($mode settings: ${settings[*]}, -prof gc)"
echo
if [ "$mode" = smoke ]; then
  echo "**Smoke settings: these numbers only prove that the pipeline works; they measure nothing.**"
  echo
fi
echo "Machine: $(nproc) cores, $("$java" -version 2>&1 | head -n 1), $(uname -sm)"
echo
"$java" -cp "$jar" dev.resilience.benchmarks.Report "$results/jmh-t1.json" "$results/jmh-t2.json"
echo
echo "## Memory"
echo
# JOL sizes records through the Instrumentation API, which it gets by attaching to its own JVM
"$java" -Djdk.attach.allowAttachSelf=true -cp "$jar" dev.resilience.benchmarks.Footprint
echo
# a million keys: JOL records every object it walks, so give it room; a Caffeine cache reaches
# lambdas (hidden classes), whose fields JOL reads only with the magic field offset
"$java" -Xmx4g -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true -cp "$jar" \
  dev.resilience.benchmarks.KeyFootprint
