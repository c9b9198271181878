package dev.resilience.spring.inbound;

import dev.resilience.core.AdaptiveLimit;
import dev.resilience.spring.autoconfigure.InboundRuleLimits.Partition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jspecify.annotations.Nullable;

/**
 * An inbound rule's adaptive concurrency limit, shared among tiers.
 *
 * <p>Each listed tier is guaranteed {@code floor(share * limit)} of the limit in force (at least
 * one); the keys of no listed tier form one more partition, guaranteed what the shares leave. A
 * request is admitted while the requests in flight, itself included, leave free every other
 * partition's guaranteed slots that it does not use now: its own partition may borrow whatever no
 * one is guaranteed, but never another's unused share. So under overload each tier keeps its share,
 * and when the others are quiet one tier may use the whole limit. The partitions' counts are read
 * one after another, not at one instant: requests that race each other may take a slot of another
 * partition's share, at most one each; the limit itself is never exceeded (the core's {@link
 * AdaptiveLimit#tryAcquire(int)} decides that).
 */
final class AdaptiveGate {

  /** What {@link #tryAcquire} answers when the limit turns the request away. */
  static final int REJECTED = -1;

  /** The gate's position among the limiter's gates: where a request's slot of it is held. */
  final int index;

  final AdaptiveLimit limit;
  private final String[] tiers;
  private final double[] shares;

  /** The requests in flight per partition; the last is the keys of no listed tier. */
  private final AtomicIntegerArray inFlight;

  AdaptiveGate(int index, AdaptiveLimit limit, Map<String, Double> partitions) {
    this.index = index;
    this.limit = limit;
    this.tiers = partitions.keySet().toArray(new String[0]);
    this.shares = new double[tiers.length + 1];
    double listed = 0;
    for (int i = 0; i < tiers.length; i++) {
      shares[i] = partitions.get(tiers[i]);
      listed += shares[i];
    }
    shares[tiers.length] = Math.max(0, 1 - listed);
    this.inFlight = new AtomicIntegerArray(tiers.length + 1);
  }

  /** Whether the limit is shared by tier, so that a request's tier must be known. */
  boolean partitioned() {
    return tiers.length > 0;
  }

  /**
   * Takes a slot for a request of this tier, if the limit and the other partitions' shares leave
   * one.
   *
   * @param tier the request's tier, or null for none
   * @return the partition the slot is counted in, to give to {@link #release}, or {@link #REJECTED}
   */
  int tryAcquire(@Nullable String tier) {
    if (tiers.length == 0) {
      return limit.tryAcquire() ? 0 : REJECTED;
    }
    int partition = partitionOf(tier);
    int now = limit.limit();
    int keepFree = 0;
    for (int other = 0; other < shares.length; other++) {
      if (other != partition) {
        keepFree += Math.max(0, guaranteed(other, now) - inFlight.get(other));
      }
    }
    if (!limit.tryAcquire(keepFree)) {
      return REJECTED;
    }
    inFlight.incrementAndGet(partition);
    return partition;
  }

  /**
   * Gives back a request's slot.
   *
   * @param partition what {@link #tryAcquire} answered
   * @param rttNanos how long the request took
   * @param measured whether its time tells of the service's load (it ended normally) or not (it
   *     failed, or never ran)
   */
  void release(int partition, long rttNanos, boolean measured) {
    if (measured) {
      limit.onSuccess(rttNanos);
    } else {
      limit.onIgnored();
    }
    if (tiers.length > 0) {
      inFlight.decrementAndGet(partition);
    }
  }

  private int partitionOf(@Nullable String tier) {
    if (tier != null) {
      for (int i = 0; i < tiers.length; i++) {
        if (tiers[i].equals(tier)) {
          return i;
        }
      }
    }
    return tiers.length;
  }

  private int guaranteed(int partition, int limit) {
    double share = shares[partition];
    return share == 0 ? 0 : Math.max(1, (int) (share * limit));
  }

  /** The partitions as they are now, the listed tiers first; empty when not partitioned. */
  List<Partition> partitions() {
    if (tiers.length == 0) {
      return List.of();
    }
    int now = limit.limit();
    List<Partition> described = new ArrayList<>(shares.length);
    for (int i = 0; i < shares.length; i++) {
      described.add(
          new Partition(
              i < tiers.length ? tiers[i] : null, shares[i], guaranteed(i, now), inFlight.get(i)));
    }
    return described;
  }
}
