package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The in-process {@link KeyedRateLimiter}: a {@link ConcurrentHashMap} from key to a cell, a {@code
 * long[]} holding one {@link Gcra} {@code tat} per limit. About 130 bytes per key with a short
 * string key (the key, the map's node and table slot, a 32-byte cell: one {@code tat} and the
 * stamp), and a call for a known key is a map read and one compare-and-set per limit: no lock, no
 * allocation.
 *
 * <p><b>All or none without a lock.</b> A call first reads every limit and is rejected, having
 * taken nothing, if one of them has no token. Otherwise it takes from limit 0, then 1, and so on;
 * if a call on the same key took a limit's last token in between, it gives back what it took:
 *
 * <ul>
 *   <li>exactly, when no call took from that limit since: it puts back the {@code tat} it found;
 *   <li>one interval, when calls took since but the clock has not passed the {@code tat} our take
 *       started from: every such call then stacked on top of ours, and would have without ours, so
 *       each moved the {@code tat} by one interval either way;
 *   <li>nothing otherwise: a call since may have found the bucket full again and started from its
 *       own clock, not on top of ours, and subtracting could erase its token. The token stays
 *       spent: an error toward admitting less, never more.
 * </ul>
 *
 * <p><b>Removing a key safely.</b> A cell leaves the map only after {@code cell[0]} was set to
 * {@link #DEAD} by a compare-and-set from the value its remover judged. Every take starts with a
 * compare-and-set of {@code cell[0]}, so a take and a removal never both succeed on one reading: a
 * token is never taken from a cell that is already gone, which would let its successor, fresh and
 * full, admit that call's token again. A call that finds its cell dead takes from the new one.
 *
 * <p><b>Room.</b> A new key reserves its place in {@link #held} before it enters the map, so at
 * most {@code maxKeys} keys are held. When none is free, the new key's thread sweeps under a lock
 * (new keys only; known keys never wait): it drops every key whose buckets are full, then, if that
 * is not a tenth of {@code maxKeys}, evicts the keys that would be full soonest.
 *
 * <p><b>Tiers and replaced limits.</b> A key's limits may change: its tier changes (the limiter was
 * made with a function of the key), or an operator replaces them ({@link #replaceLimits}). So its
 * cell ends with the {@link Limits#stamp() stamp} of the limits it was counted for, one {@code
 * long} more, and a call under other limits replaces the cell: carried into the new limits with its
 * tokens ({@link Gcra#carry}) when it was counted for limits a replacement named, in place in the
 * map, so that no call can make the key a fresh, full cell meanwhile; else by a fresh, full one.
 *
 * <p><b>The tombstone is a time too.</b> {@link #DEAD} is {@code Long.MIN_VALUE}, a value the clock
 * may read and a {@code tat} may land on. No {@code tat} is ever stored as {@code DEAD}: a fresh
 * cell at that instant starts one nanosecond earlier (full either way), a take or give-back that
 * would land on it lands one nanosecond later (a nanosecond toward admitting less).
 */
final class KeyedBuckets implements KeyedRateLimiter {

  /** {@code cell[0]} of a cell that left, or is leaving, the map. */
  static final long DEAD = Long.MIN_VALUE;

  /** Internal: the cell died under the call, which takes from its successor instead. */
  private static final long RETRY = Long.MIN_VALUE;

  private static final char DIGESTED = '\0';

  private static final VarHandle TAT = MethodHandles.arrayElementVarHandle(long[].class);

  private final String name;
  private final Function<String, Limits> limitsOfKey;
  private final int maxKeys;
  private final int keepAfterSweep;
  private final Ticker ticker;
  private final ConcurrentHashMap<String, long[]> cells = new ConcurrentHashMap<>();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong evictions = new AtomicLong();
  private final ReentrantLock sweeping = new ReentrantLock();

  /** The limits given instead of others ({@link #replaceLimits}); null while none are. */
  private volatile @Nullable Replacement replacement;

  /**
   * Every set of limits a replacement named, by stamp: a cell counted under one of them is carried
   * into the limits its key has now, keeping its tokens. Written under this object's lock.
   */
  private final ConcurrentHashMap<Long, Limits> carriable = new ConcurrentHashMap<>();

  /** Keys given the limits with stamp {@code from} are held to {@code to} instead. */
  private record Replacement(long from, Limits to) {}

  KeyedBuckets(String name, Function<String, Limits> limitsOfKey, int maxKeys, Ticker ticker) {
    this.name = name;
    this.limitsOfKey = limitsOfKey;
    this.maxKeys = maxKeys;
    this.keepAfterSweep = maxKeys - Math.max(1, maxKeys / 10);
    this.ticker = ticker;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int maxKeys() {
    return maxKeys;
  }

  @Override
  public Limits limits(String key) {
    Limits limits = limitsOfKey.apply(key);
    if (limits == null) {
      throw new NullPointerException("The limits of key '" + key + "' of '" + name + "' are null");
    }
    Replacement r = replacement;
    return r != null && limits.stamp() == r.from() ? r.to() : limits;
  }

  @Override
  public synchronized void replaceLimits(Limits from, Limits to) {
    carriable.put(from.stamp(), from);
    carriable.put(to.stamp(), to);
    Replacement previous = replacement;
    replacement = from.equals(to) ? null : new Replacement(from.stamp(), to);
    // Carry every cell now, so that from this instant its tokens come at the new rate; a call that
    // meets a cell before this pass does carries it itself, at its own time, a moment later. Cells
    // are told by their stamp: the replaced limits', or the previous replacement's.
    long now = ticker.read();
    long replaced = from.stamp();
    long replacedBefore = previous == null ? replaced : previous.to().stamp();
    cells.forEach(
        (key, cell) -> {
          long stamp = cell[buckets(cell)];
          if (stamp != to.stamp() && (stamp == replaced || stamp == replacedBefore)) {
            carry(key, cell, carriable.get(stamp), to, now);
          }
        });
  }

  @Override
  public long tryReserve(String key, long maxWaitNanos) {
    return tryReserve(key, maxWaitNanos, ticker.read());
  }

  @Override
  public long tryReserve(String key, long maxWaitNanos, long now) {
    String id = heldKey(key);
    for (; ; ) {
      // read again after a lost race: the limits may have been replaced meanwhile
      Limits limits = limits(key);
      long[] cell = cells.get(id);
      if (cell == null || !fits(cell, limits)) {
        // then take from the key's cell as it is now: ours, or one that a racing call put first
        install(id, cell, limits, now);
        continue;
      }
      // one limit: its compare-and-set is the take and the proof the cell is alive
      long wait =
          limits.size() == 1
              ? takeFrom(cell, 0, limits, maxWaitNanos, now)
              : takeAll(cell, limits, maxWaitNanos, now);
      if (wait != RETRY) {
        return wait;
      }
      unlink(id, cell);
    }
  }

  private long takeAll(long[] cell, Limits limits, long maxWaitNanos, long now) {
    for (int i = 0; i < limits.size(); i++) {
      long tat = (long) TAT.getVolatile(cell, i);
      if (tat != DEAD && Gcra.waitNanos(tat, now, limits.tolerance(i)) > maxWaitNanos) {
        return REJECTED; // the usual rejection: nothing taken, nothing to give back
      }
    }
    long wait = takeFrom(cell, 0, limits, maxWaitNanos, now);
    // Removed while we took from limits 1..n-1 (we were descheduled long enough for limit 0 to
    // refill)? Then those tokens went to a dead cell: take them again from its successor.
    return wait >= 0 && (long) TAT.getVolatile(cell, 0) == DEAD ? RETRY : wait;
  }

  /**
   * Takes one token of each limit from {@code i} on, all or none: returns the longest wait, {@link
   * #REJECTED} (nothing taken from limits {@code i..}) or {@link #RETRY} (only at 0, when nothing
   * was taken). Recursive rather than a loop, so that each limit's {@code tat} before and after its
   * take stays on the stack for its give-back without allocating: at most {@value
   * Limits#MAX_LIMITS} deep. Contention on one key is rare, so a lost race retries at once.
   */
  private long takeFrom(long[] cell, int i, Limits limits, long maxWaitNanos, long now) {
    long interval = limits.interval(i);
    long tolerance = limits.tolerance(i);
    long before;
    long after;
    long wait;
    for (; ; ) {
      before = (long) TAT.getVolatile(cell, i);
      if (before == DEAD) {
        return RETRY;
      }
      wait = Gcra.waitNanos(before, now, tolerance);
      if (wait > maxWaitNanos) {
        return REJECTED;
      }
      after = notDead(Gcra.next(before, now, interval));
      if (TAT.compareAndSet(cell, i, before, after)) {
        break;
      }
      Thread.onSpinWait();
    }
    wait = Math.max(0, wait);
    if (i + 1 == limits.size()) {
      return wait;
    }
    long rest = takeFrom(cell, i + 1, limits, maxWaitNanos, now);
    if (rest < 0) {
      giveBack(cell, i, before, after, interval);
      return rest;
    }
    return Math.max(wait, rest);
  }

  /**
   * Gives back the token this call took from limit {@code i}, which moved its {@code tat} from
   * {@code before} to {@code after} (see the class comment): exactly, when no call took since; else
   * one interval, when the clock has not passed {@code after - interval}, the {@code tat} our take
   * started from; else not at all.
   */
  private void giveBack(long[] cell, int i, long before, long after, long interval) {
    if (TAT.compareAndSet(cell, i, after, before)) {
      return;
    }
    if (ticker.read() - (after - interval) > 0) {
      return; // a take since may have started from its own clock, not on top of ours: keep it
    }
    for (; ; ) {
      long tat = (long) TAT.getVolatile(cell, i);
      if (tat == DEAD || TAT.compareAndSet(cell, i, tat, notDead(tat - interval))) {
        return; // (dead: gone, and its successor starts full anyway)
      }
    }
  }

  /** Returns {@code tat}, or the nanosecond after it when it is the tombstone's value. */
  private static long notDead(long tat) {
    return tat == DEAD ? DEAD + 1 : tat;
  }

  /**
   * Returns whether the cell counts for these limits (and not for a key's former tier, or limits
   * since replaced).
   */
  private static boolean fits(long[] cell, Limits limits) {
    int n = limits.size();
    return cell.length == n + 1 && cell[n] == limits.stamp();
  }

  /** Returns how many buckets the cell holds: its length, less the stamp. */
  private static int buckets(long[] cell) {
    return cell.length - 1;
  }

  /** Returns the limits the cell was counted for, if a replacement named them; else null. */
  private @Nullable Limits countedFor(long[] cell) {
    return carriable.isEmpty() ? null : carriable.get(cell[buckets(cell)]);
  }

  /**
   * Replaces {@code stale}, a cell counted for {@code old} limits, by one for {@code limits} with
   * the same tokens (at most each new quota), in place: the key never leaves the map, so no call
   * can make it a fresh, full cell meanwhile. Marking {@code stale} dead first freezes limit 0; a
   * take on the others after it is read sees the cell dead and is taken again from the new one, an
   * error toward admitting less.
   */
  private void carry(String key, long[] stale, Limits old, Limits limits, long now) {
    boolean[] removed = {false};
    cells.compute(
        key,
        (k, current) -> {
          if (current != stale) {
            return current; // carried, reset or dropped by another call
          }
          long first = killed(stale);
          if (first == DEAD) {
            removed[0] = true; // a sweep or a reset forgot the key: it starts over
            return null;
          }
          int n = limits.size();
          long[] carried = new long[n + 1];
          for (int i = 0; i < n; i++) {
            if (i < old.size()) {
              long tat = i == 0 ? first : (long) TAT.getVolatile(stale, i);
              carried[i] =
                  notDead(
                      Gcra.carry(
                          tat,
                          now,
                          old.interval(i),
                          old.get(i).quota(),
                          limits.interval(i),
                          limits.get(i).quota()));
            } else {
              carried[i] = now == DEAD ? now - 1 : now; // a limit it had no bucket for: full
            }
          }
          carried[n] = limits.stamp();
          return carried;
        });
    if (removed[0]) {
      held.decrementAndGet();
    }
  }

  /** Marks the cell dead; returns {@code cell[0]} as it was, or {@link #DEAD} if it was dead. */
  private static long killed(long[] cell) {
    for (; ; ) {
      long first = (long) TAT.getVolatile(cell, 0);
      if (first == DEAD || kill(cell, first)) {
        return first;
      }
    }
  }

  /**
   * Puts a fresh, full cell for {@code key} (replacing {@code stale}, a cell made for other limits)
   * unless another thread just put one.
   */
  private void install(String key, long @Nullable [] stale, Limits limits, long now) {
    if (stale != null) {
      Limits old = countedFor(stale);
      if (old != null) {
        carry(key, stale, old, limits, now);
        return;
      }
      kill(stale);
      unlink(key, stale);
    }
    if (!reserveRoom(key)) {
      return; // a racing call put the key's cell
    }
    int n = limits.size();
    long[] fresh = new long[n + 1];
    Arrays.fill(fresh, 0, n, now == DEAD ? now - 1 : now); // tat <= now: full
    fresh[n] = limits.stamp();
    if (cells.putIfAbsent(key, fresh) != null) {
      held.decrementAndGet();
    }
  }

  /**
   * Reserves room for {@code key}'s new cell; returns false, reserving nothing, when the key got a
   * cell meanwhile. Calls racing to make the same new key each reserve room until one puts it, so
   * when the last room is reserved, the others must wait for that cell rather than make room that
   * their key will not need (which evicted a tenth of the keys of a limiter holding exactly {@code
   * maxKeys} keys).
   */
  private boolean reserveRoom(String key) {
    for (; ; ) {
      int count = held.get();
      if (count < maxKeys) {
        if (held.compareAndSet(count, count + 1)) {
          return true;
        }
      } else if (cells.containsKey(key)) {
        return false;
      } else {
        makeRoom(key);
      }
    }
  }

  /**
   * Sweeps when the map itself is full without {@code key}; when only reserved room is missing
   * (calls between their reservation and their put, one perhaps for this very key), lets those
   * calls finish instead.
   */
  private void makeRoom(String key) {
    boolean swept = false;
    sweeping.lock();
    try {
      if (held.get() >= maxKeys && cells.size() >= maxKeys && !cells.containsKey(key)) {
        sweep(ticker.read());
        swept = true;
      }
    } finally {
      sweeping.unlock();
    }
    if (!swept) {
      Thread.yield();
    }
  }

  /** Drops every full key, then evicts the keys nearest to full until a tenth is free. */
  private void sweep(long now) {
    cells.forEach((key, cell) -> dropIfFull(key, cell, now));
    int excess = held.get() - keepAfterSweep;
    if (excess <= 0) {
      return;
    }
    long[] fullAfter = new long[cells.size() + 64];
    int[] n = {0};
    cells.forEach(
        (key, cell) -> {
          if (n[0] < fullAfter.length) {
            fullAfter[n[0]++] = fullAfter(cell, (long) TAT.getVolatile(cell, 0), now);
          }
        });
    Arrays.sort(fullAfter, 0, n[0]);
    long threshold = fullAfter[Math.min(excess, n[0]) - 1];
    cells.forEach(
        (key, cell) -> {
          if (held.get() <= keepAfterSweep) {
            return;
          }
          long first = (long) TAT.getVolatile(cell, 0);
          if (first == DEAD) {
            unlink(key, cell);
            return;
          }
          long until = fullAfter(cell, first, now);
          if (until <= threshold && kill(cell, first)) {
            unlink(key, cell); // or a call that found the cell dead did
            // a key made full since the first pass (a new key's fresh cell) goes at no loss
            if (until > 0) {
              evictions.incrementAndGet();
            }
          }
        });
  }

  /**
   * Drops the key's cell if its buckets are all full at {@code now} (or it is dead already): the
   * first pass of a sweep. Returns whether this call marked it dead.
   */
  private boolean dropIfFull(String key, long[] cell, long now) {
    long first = (long) TAT.getVolatile(cell, 0);
    boolean killed = first != DEAD && fullAfter(cell, first, now) <= 0 && kill(cell, first);
    if (killed || first == DEAD) {
      unlink(key, cell);
    }
    return killed;
  }

  /** For the jcstress tests: the first pass of a sweep, for one key. */
  boolean dropIfFull(String key, long now) {
    String id = heldKey(key);
    long[] cell = cells.get(id);
    return cell != null && dropIfFull(id, cell, now);
  }

  /** Returns how long after {@code now} every bucket of the cell is full again (≤ 0: full). */
  private long fullAfter(long[] cell, long first, long now) {
    long longest = first - now;
    for (int i = 1, n = buckets(cell); i < n; i++) {
      longest = Math.max(longest, (long) TAT.getVolatile(cell, i) - now);
    }
    return longest;
  }

  /** Marks the cell dead if {@code cell[0]} is still {@code first}, the value that was judged. */
  private static boolean kill(long[] cell, long first) {
    return TAT.compareAndSet(cell, 0, first, DEAD);
  }

  /** Marks the cell dead; returns whether this call did (false: it was dead already). */
  private static boolean kill(long[] cell) {
    for (; ; ) {
      long first = (long) TAT.getVolatile(cell, 0);
      if (first == DEAD) {
        return false;
      }
      if (kill(cell, first)) {
        return true;
      }
    }
  }

  private boolean unlink(String key, long[] cell) {
    if (cells.remove(key, cell)) {
      held.decrementAndGet();
      return true;
    }
    return false;
  }

  private long @Nullable [] liveCell(String key) {
    long[] cell = cells.get(heldKey(key));
    return cell == null || (long) TAT.getVolatile(cell, 0) == DEAD ? null : cell;
  }

  @Override
  public double availableTokens(String key, int limit) {
    Limits limits = limits(key);
    Limit shape = limits.get(limit);
    long now = ticker.read();
    long tat = tatAsCounted(key, limits, limit, now);
    return Gcra.availableTokens(tat, now, shape.intervalNanos(), shape.quota());
  }

  @Override
  public long nanosUntilToken(String key, int limit) {
    Limits limits = limits(key);
    long tolerance = limits.tolerance(limit); // also checks the index
    long now = ticker.read();
    return Gcra.nanosUntilToken(tatAsCounted(key, limits, limit, now), now, tolerance);
  }

  /**
   * Returns the {@code tat} of the key's bucket for {@code limit} under {@code limits}, without
   * changing anything: its cell's, carried as its next call would carry it if the cell was counted
   * for limits since replaced, or {@code now} (full) if the key holds no state for these limits.
   */
  private long tatAsCounted(String key, Limits limits, int limit, long now) {
    long[] cell = liveCell(key);
    if (cell == null) {
      return now;
    }
    if (fits(cell, limits)) {
      return (long) TAT.getVolatile(cell, limit);
    }
    Limits old = countedFor(cell);
    if (old == null || limit >= old.size()) {
      return now;
    }
    return Gcra.carry(
        (long) TAT.getVolatile(cell, limit),
        now,
        old.interval(limit),
        old.get(limit).quota(),
        limits.interval(limit),
        limits.get(limit).quota());
  }

  @Override
  public boolean isLive(String key) {
    return liveCell(key) != null;
  }

  @Override
  public boolean reset(String key) {
    String id = heldKey(key);
    long[] cell = cells.get(id);
    if (cell == null) {
      return false;
    }
    // whoever marks the cell dead resets the key; a call that finds it dead may unlink it first
    boolean killed = kill(cell);
    unlink(id, cell);
    return killed;
  }

  @Override
  public int liveKeys() {
    return held.get();
  }

  @Override
  public long evictions() {
    return evictions.get();
  }

  /**
   * Returns the key as held: itself, or a digest of itself when longer than the cap. Digests start
   * with a NUL character, and so does no key held as itself (those are digested too), so no short
   * key can be chosen to share a long key's buckets.
   */
  static String heldKey(String key) {
    if (key.length() <= MAX_KEY_LENGTH && (key.isEmpty() || key.charAt(0) != DIGESTED)) {
      return key;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return DIGESTED + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "KeyedBuckets{" + name + ", " + held.get() + '/' + maxKeys + " keys}";
  }
}
