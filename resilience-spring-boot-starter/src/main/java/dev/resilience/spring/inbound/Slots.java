package dev.resilience.spring.inbound;

import java.util.Arrays;

/**
 * The adaptive limits' slots one request holds, from its admission until it ends: the partition it
 * took of each rule's limit, by the gate's {@link AdaptiveGate#index}, and when it took the first.
 * Not thread-safe: one request's thread, or its exchange's signals in turn, use it.
 */
final class Slots {

  /** By gate: the partition taken plus one, or 0 when the request holds no slot of it. */
  private final int[] taken;

  private int held;
  private long startNanos;

  Slots(int gates) {
    this.taken = new int[gates];
  }

  void take(AdaptiveGate gate, int partition, long nowNanos) {
    if (held == 0) {
      startNanos = nowNanos;
    }
    taken[gate.index] = partition + 1;
    held++;
  }

  boolean isEmpty() {
    return held == 0;
  }

  /**
   * Moves the slots to a new holder and leaves this one empty: for a request that goes on after its
   * thread let go of it (servlet async), whose thread's holder serves the next request.
   */
  Slots detach() {
    Slots moved = new Slots(taken.length);
    System.arraycopy(taken, 0, moved.taken, 0, taken.length);
    moved.held = held;
    moved.startNanos = startNanos;
    Arrays.fill(taken, 0);
    held = 0;
    return moved;
  }

  /**
   * Gives every slot back.
   *
   * @param measured whether the request's time tells of the service's load: it ended normally
   */
  void release(AdaptiveGate[] gates, long nowNanos, boolean measured) {
    long rtt = nowNanos - startNanos;
    for (int i = 0; held > 0 && i < taken.length; i++) {
      int partition = taken[i] - 1;
      if (partition >= 0) {
        taken[i] = 0;
        held--;
        gates[i].release(partition, rtt, measured);
      }
    }
  }
}
