package dev.resilience.spring.redis;

import dev.resilience.core.Gcra;
import dev.resilience.core.Limit;
import dev.resilience.core.Limits;
import dev.resilience.spring.redis.GcraScript.Answer;
import java.nio.charset.StandardCharsets;

/**
 * A bucket's limits as the script takes them: in whole microseconds (intervals rounded up, so that
 * Redis never admits more than the in-process bucket would), and the part of each Redis key that
 * names the limit, so that a changed limit starts from fresh keys instead of stale state.
 */
final class ScriptLimits {

  /** The version of the state's layout, first in every key. */
  static final String PREFIX = "resilience:v1:";

  private static final byte[] NOW_FROM_SERVER = {};
  private static final byte[] ZERO = GcraScript.ascii(0);
  private static final byte[] ONE = GcraScript.ascii(1);
  private static final byte[] HOLD = "hold".getBytes(StandardCharsets.US_ASCII);

  private final long[] intervals;
  private final long[] tolerances;
  private final int[] bursts;
  private final byte[][] limitArgs;
  private final String[] suffixes;

  ScriptLimits(Limits limits) {
    int n = limits.size();
    intervals = new long[n];
    tolerances = new long[n];
    bursts = new int[n];
    limitArgs = new byte[2 * n][];
    suffixes = new String[n];
    for (int i = 0; i < n; i++) {
      Limit limit = limits.get(i);
      intervals[i] = Math.max(1, (limit.intervalNanos() + 999) / 1000);
      bursts[i] = limit.quota();
      tolerances[i] = Gcra.tolerance(intervals[i], bursts[i]);
      limitArgs[2 * i] = GcraScript.ascii(intervals[i]);
      limitArgs[2 * i + 1] = GcraScript.ascii(tolerances[i]);
      suffixes[i] = "}:" + intervals[i] + "us:" + bursts[i];
    }
  }

  int size() {
    return intervals.length;
  }

  /** The Redis keys of a bucket: {@code resilience:v1:{<name>}:<interval>us:<burst>} per limit. */
  byte[][] keys(String bucket) {
    byte[][] keys = new byte[intervals.length][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = (PREFIX + '{' + bucket + suffixes[i]).getBytes(StandardCharsets.UTF_8);
    }
    return keys;
  }

  /** The script's arguments for a call that waits up to {@code maxWaitNanos} for its tokens. */
  byte[][] args(long maxWaitNanos, int wanted) {
    byte[][] args = new byte[3 + limitArgs.length][];
    args[0] = maxWaitNanos == 0 ? ZERO : GcraScript.ascii(maxWaitNanos / 1000);
    args[1] = NOW_FROM_SERVER;
    args[2] = wanted == 0 ? ZERO : wanted == 1 ? ONE : GcraScript.ascii(wanted);
    System.arraycopy(limitArgs, 0, args, 3, limitArgs.length);
    return args;
  }

  /**
   * The script's arguments that hold every limit empty for {@code pauseMicros} from the server's
   * now: its first token comes exactly then, and a bucket already empty for longer stays so.
   */
  byte[][] holdArgs(long pauseMicros) {
    byte[][] args = new byte[3 + limitArgs.length][];
    args[0] = GcraScript.ascii(pauseMicros);
    args[1] = NOW_FROM_SERVER;
    args[2] = HOLD;
    System.arraycopy(limitArgs, 0, args, 3, limitArgs.length);
    return args;
  }

  double availableTokens(Answer answer, int limit, long nowMicros) {
    return Gcra.availableTokens(answer.tats[limit], nowMicros, intervals[limit], bursts[limit]);
  }

  long nanosUntilToken(Answer answer, int limit, long nowMicros) {
    return 1000 * Gcra.nanosUntilToken(answer.tats[limit], nowMicros, tolerances[limit]);
  }

  long burst(int limit) {
    return bursts[limit];
  }
}
