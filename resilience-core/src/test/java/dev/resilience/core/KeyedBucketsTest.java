package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviours of buckets per key beyond one bucket's arithmetic: room for keys, eviction order,
 * reset, tiers and how keys are held. The model tests check the arithmetic.
 */
class KeyedBucketsTest {

  private static final Limit FIVE_PER_SECOND = Limit.of(5, Duration.ofSeconds(1));
  private static final Limit FIFTY_PER_SECOND = Limit.of(50, Duration.ofSeconds(1));

  private final FakeTicker ticker = new FakeTicker();

  private KeyedRateLimiter limiter(Limits limits, int maxKeys) {
    return KeyedRateLimiter.inMemory("orders", limits, maxKeys, ticker);
  }

  private static int takeAll(KeyedRateLimiter limiter, String key) {
    int taken = 0;
    while (limiter.tryAcquire(key)) {
      taken++;
    }
    return taken;
  }

  @Test
  void whenKeysAreFullAgainThenANewKeyDropsThemAtNoLossAndCountsNoEviction() {
    KeyedRateLimiter limiter = limiter(Limits.of(FIVE_PER_SECOND), 10);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire("k" + i)).isTrue();
    }
    assertThat(limiter.liveKeys()).isEqualTo(10);
    ticker.advance(Duration.ofMillis(200)); // every key full again

    assertThat(limiter.tryAcquire("new")).isTrue();

    assertThat(limiter.liveKeys()).isEqualTo(1);
    assertThat(limiter.evictions()).isZero();
    assertThat(limiter.isLive("new")).isTrue();
    assertThat(limiter.isLive("k0")).isFalse();
    assertThat(limiter.availableTokens("k0", 0)).isEqualTo(5.0);
  }

  @ParameterizedTest(name = "clock at {0} ns")
  @ValueSource(longs = {-5_000_000_000L, 0, 1_000_000_000_000L})
  void whenTieredKeysAreFullAgainThenTheyAreDroppedFreeWhereverTheClockStands(long start) {
    // a tiered limiter's cells end with a stamp, which is no time: only the buckets say "full"
    FakeTicker clock = new FakeTicker(start);
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "orders",
            key -> key.startsWith("pro") ? Limits.of(FIFTY_PER_SECOND) : Limits.of(FIVE_PER_SECOND),
            2,
            clock);
    assertThat(limiter.tryAcquire("pro-a")).isTrue();
    assertThat(limiter.tryAcquire("b")).isTrue();
    clock.advance(Duration.ofMillis(200)); // both full again

    assertThat(limiter.tryAcquire("c")).isTrue();

    assertThat(limiter.evictions()).isZero();
    assertThat(limiter.isLive("c")).isTrue();
    assertThat(limiter.isLive("pro-a")).isFalse();
    assertThat(limiter.isLive("b")).isFalse();
  }

  @Test
  void whenRoomIsShortThenFullKeysGoFirstAndCountingKeysStay() {
    KeyedRateLimiter limiter = limiter(Limits.of(FIVE_PER_SECOND), 10);
    assertThat(takeAll(limiter, "busy")).isEqualTo(5);
    for (int i = 0; i < 9; i++) {
      assertThat(limiter.tryAcquire("once" + i)).isTrue();
    }
    ticker.advance(Duration.ofMillis(200)); // the one-off keys are full again; "busy" is not

    assertThat(limiter.tryAcquire("new")).isTrue();

    assertThat(limiter.evictions()).isZero();
    assertThat(limiter.liveKeys()).isEqualTo(2);
    assertThat(limiter.availableTokens("busy", 0)).isEqualTo(1.0);
  }

  @Test
  void whenNoKeyIsFullThenTheKeysNearestToFullAreEvictedAndCounted() {
    KeyedRateLimiter limiter = limiter(Limits.of(FIVE_PER_SECOND), 10);
    assertThat(takeAll(limiter, "busy")).isEqualTo(5);
    for (int i = 0; i < 9; i++) {
      assertThat(limiter.tryAcquire("once" + i)).isTrue();
    }

    assertThat(limiter.tryAcquire("new")).isTrue();

    // a tenth of maxKeys is freed: one key, the nearest to full among equals
    assertThat(limiter.evictions()).isEqualTo(1);
    assertThat(limiter.liveKeys()).isEqualTo(10);
    assertThat(limiter.tryAcquire("busy")).as("the busy key kept its state").isFalse();
  }

  @Test
  void whenAFloodOfOneOffKeysPassesThenARejectedKeyIsStillRejected() {
    KeyedRateLimiter limiter = limiter(Limits.of(FIVE_PER_SECOND), 1000);
    assertThat(takeAll(limiter, "busy")).isEqualTo(5);

    int mostLive = 0;
    for (int i = 0; i < 1_000_000; i++) {
      if (!limiter.tryAcquire(Integer.toString(i))) {
        throw new AssertionError("one-off key " + i + " was rejected");
      }
      mostLive = Math.max(mostLive, limiter.liveKeys());
    }

    assertThat(mostLive).isEqualTo(1000);
    assertThat(limiter.tryAcquire("busy")).isFalse();
    assertThat(limiter.nanosUntilAdmitted("busy")).isEqualTo(200_000_000L);
    assertThat(limiter.evictions())
        .as("every one-off key but those still live")
        .isEqualTo(1_000_001L - limiter.liveKeys());
  }

  @Test
  void whenAFloodOfOneOffKeysPassesThenAKeyOfTwoLimitsKeepsBoth() {
    KeyedRateLimiter limiter =
        limiter(Limits.of(FIVE_PER_SECOND, Limit.of(1000, Duration.ofHours(1))), 500);
    assertThat(takeAll(limiter, "busy")).isEqualTo(5);
    ticker.advance(Duration.ofMillis(400)); // two per-second tokens back, the hour still counts

    for (int i = 0; i < 100_000; i++) {
      assertThat(limiter.tryAcquire(Integer.toString(i))).isTrue();
    }

    assertThat(limiter.availableTokens("busy", 0)).isEqualTo(2.0);
    assertThat(limiter.availableTokens("busy", 1)).isCloseTo(995.0 + 0.4 / 3.6, within(1e-9));
  }

  @Test
  void liveKeysNeverExceedsMaxKeysEvenForOneKey() {
    KeyedRateLimiter limiter = limiter(Limits.of(FIVE_PER_SECOND), 1);

    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAcquire("k" + i)).isTrue();
      assertThat(limiter.liveKeys()).isEqualTo(1);
    }
    assertThat(limiter.evictions()).isEqualTo(99);
  }

  @Test
  void whenAKeyIsResetThenItIsFullAgainAndOtherKeysKeepTheirState() {
    KeyedRateLimiter limiter = limiter(Limits.of(FIVE_PER_SECOND), 10);
    takeAll(limiter, "a");
    takeAll(limiter, "b");

    assertThat(limiter.reset("a")).isTrue();

    assertThat(limiter.isLive("a")).isFalse();
    assertThat(limiter.nanosUntilAdmitted("a")).isZero();
    assertThat(limiter.liveKeys()).isEqualTo(1);
    assertThat(takeAll(limiter, "a")).isEqualTo(5);
    assertThat(limiter.tryAcquire("b")).isFalse();
    assertThat(limiter.reset("never-seen")).isFalse();
    assertThat(limiter.evictions()).isZero();
  }

  @Test
  void whenAKeysTierChangesThenItStartsFullUnderItsNewLimits() {
    Map<String, Limits> tiers = new ConcurrentHashMap<>();
    Limits free = Limits.of(FIVE_PER_SECOND);
    Limits pro = Limits.of(FIFTY_PER_SECOND);
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory("orders", key -> tiers.getOrDefault(key, free), 10, ticker);
    assertThat(takeAll(limiter, "a")).isEqualTo(5);

    tiers.put("a", pro);

    assertThat(limiter.limits("a")).isEqualTo(pro);
    assertThat(limiter.availableTokens("a", 0)).isEqualTo(50.0);
    assertThat(limiter.nanosUntilAdmitted("a")).isZero();
    assertThat(takeAll(limiter, "a")).isEqualTo(50);

    tiers.remove("a");

    assertThat(limiter.availableTokens("a", 0)).isEqualTo(5.0);
    assertThat(takeAll(limiter, "a")).isEqualTo(5);
    assertThat(limiter.liveKeys()).isEqualTo(1);
  }

  @Test
  void whenAKeysTierChangesToMoreLimitsThenItStartsFullUnderThem() {
    Map<String, Limits> tiers = new ConcurrentHashMap<>();
    Limits one = Limits.of(FIVE_PER_SECOND);
    Limits two = Limits.of(FIVE_PER_SECOND, Limit.of(2, Duration.ofHours(1)));
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory("orders", key -> tiers.getOrDefault(key, one), 10, ticker);
    assertThat(takeAll(limiter, "a")).isEqualTo(5);

    tiers.put("a", two);

    assertThat(limiter.availableTokens("a", 1)).isEqualTo(2.0);
    assertThat(takeAll(limiter, "a")).isEqualTo(2);
  }

  @Test
  void whenTheLimitsFunctionReturnsEqualLimitsAnewEachCallThenTheKeyKeepsItsState() {
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "orders", key -> Limits.of(Limit.of(5, Duration.ofSeconds(1))), 10, ticker);

    assertThat(takeAll(limiter, "a")).isEqualTo(5);
    assertThat(limiter.availableTokens("a", 0)).isEqualTo(0.0);
  }

  @Test
  void keysUpToTheCapAreHeldAsThemselvesAndLongerOnesAsADigest() {
    String atCap = "k".repeat(KeyedRateLimiter.MAX_KEY_LENGTH);
    String overCap = atCap + "x";

    assertThat(KeyedBuckets.heldKey(atCap)).isSameAs(atCap);
    assertThat(KeyedBuckets.heldKey("")).isEmpty();
    assertThat(KeyedBuckets.heldKey(overCap))
        .hasSize(44)
        .startsWith("\0")
        .isEqualTo(KeyedBuckets.heldKey(atCap + "x"))
        .isNotEqualTo(KeyedBuckets.heldKey(atCap + "y"));
    assertThat(KeyedBuckets.heldKey("\0short")).hasSize(44).startsWith("\0");
  }

  @Test
  void aShortKeyCannotBeChosenToShareALongKeysBuckets() {
    KeyedRateLimiter limiter = limiter(Limits.of(Limit.of(1, Duration.ofHours(1))), 10);
    String longKey = "x".repeat(1000);
    String digest = KeyedBuckets.heldKey(longKey);
    assertThat(limiter.tryAcquire(longKey)).isTrue();
    assertThat(limiter.tryAcquire(longKey)).isFalse();

    assertThat(limiter.tryAcquire(digest)).as("the digest itself as a key").isTrue();
    assertThat(limiter.tryAcquire("\0")).isTrue();
    assertThat(limiter.tryAcquire("")).isTrue();

    assertThat(limiter.tryAcquire(longKey)).isFalse();
    assertThat(limiter.liveKeys()).isEqualTo(4);
    assertThat(limiter.reset(longKey)).isTrue();
    assertThat(limiter.isLive(digest)).isTrue();
  }

  @Test
  void whenTheLimitsFunctionReturnsNullThenTheCallFailsNamingKeyAndLimiter() {
    KeyedRateLimiter limiter = KeyedRateLimiter.inMemory("orders", key -> null, 10, ticker);

    assertThatExceptionOfType(NullPointerException.class)
        .isThrownBy(() -> limiter.tryAcquire("a"))
        .withMessage("The limits of key 'a' of 'orders' are null");
  }

  @Test
  void rejectsABadNameOrMaxKeysNamingTheRule() {
    Limits limits = Limits.of(FIVE_PER_SECOND);

    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> KeyedRateLimiter.inMemory("no spaces", limits, 10, ticker))
        .withMessage(
            "name must be 1 to 64 of the characters [A-Za-z0-9_.-], but was \"no spaces\"");
    assertThatExceptionOfType(InvalidConfigException.class)
        .isThrownBy(() -> KeyedRateLimiter.inMemory("orders", limits, 0, ticker))
        .withMessage("maxKeys must be at least 1, but was 0");
  }

  // The tombstone is Long.MIN_VALUE, which is also a time: the clock may read it, and a bucket's
  // tat may land on it. Neither may be taken for a removed cell.
  @Test
  void whenTheClockReadsTheTombstoneValueThenCallsStillComplete() {
    FakeTicker atTombstone = new FakeTicker(KeyedBuckets.DEAD);
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory("orders", Limits.of(FIVE_PER_SECOND), 10, atTombstone);

    int taken = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> takeAll(limiter, "a"));

    assertThat(taken).isEqualTo(5);
  }

  @Test
  void whenATakeLandsOnTheTombstoneValueThenTheKeyKeepsItsState() {
    Limit onePer100ns = Limit.of(1, Duration.ofNanos(100));
    FakeTicker ticker = new FakeTicker(KeyedBuckets.DEAD - 100); // the tat will be DEAD exactly
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "orders", Limits.of(onePer100ns, Limit.of(5, Duration.ofHours(1))), 10, ticker);

    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> limiter.tryAcquire("a")))
        .isTrue();
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> limiter.tryAcquire("a")))
        .as("a second call at once")
        .isFalse();
    assertThat(limiter.availableTokens("a", 1)).isEqualTo(4.0);
  }

  @Test
  void whenATakeOfASingleLimitLandsOnTheTombstoneValueThenTheKeyIsNotReset() {
    FakeTicker ticker = new FakeTicker(KeyedBuckets.DEAD - 100);
    KeyedRateLimiter limiter =
        KeyedRateLimiter.inMemory(
            "orders", Limits.of(Limit.of(1, Duration.ofNanos(100))), 10, ticker);

    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> limiter.tryAcquire("a")))
        .isTrue();
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> limiter.tryAcquire("a")))
        .as("a second call at once")
        .isFalse();
    // the tat that would have been the tombstone is stored a nanosecond later
    assertThat(limiter.nanosUntilAdmitted("a")).isEqualTo(101);
  }
}
