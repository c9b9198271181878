package dev.resilience.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerConfig;
import dev.resilience.core.CircuitOpenException;
import dev.resilience.core.FailureClassifier;
import dev.resilience.core.FailureCodes;
import dev.resilience.core.Guard;
import dev.resilience.core.GuardedCall;
import dev.resilience.core.RateLimitedException;
import dev.resilience.core.RateLimiterConfig;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResilienceMetricsTest {

  private static final List<String> OUTCOMES =
      List.of("success", "failure", "ignored_error", "rejected_breaker", "rejected_rate_limit");
  private static final List<String> COMMON_CODES =
      List.of("429", "500", "502", "503", "504", "timeout", "network", "slow");
  private static final List<String> STATES = List.of("CLOSED", "OPEN", "HALF_OPEN");

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private ResilienceRegistry registry;

  /** Bucket of 1 token, never waits: the second call is rate limited. */
  private Guard placeOrder;

  /**
   * Shares the breaker "exchange"; 1000 tokens/s, burst 1, may wait: later calls wait 1 ms each.
   */
  private Guard cancelOrder;

  /** Its own breaker "quotes", which opens after 2 failures and counts calls over 1 s as slow. */
  private Guard getQuote;

  @BeforeEach
  void bindGuards() {
    registry =
        ResilienceRegistry.builder()
            .ticker(now::get)
            .circuitBreakerDefaults(
                CircuitBreakerConfig.builder()
                    .failThreshold(2)
                    .cooldown(Duration.ofSeconds(10))
                    .minDwell(Duration.ZERO)
                    .probeCount(1)
                    .build())
            .circuitBreakerOverride(
                "quotes",
                CircuitBreakerConfig.builder()
                    .failThreshold(2)
                    .cooldown(Duration.ofSeconds(10))
                    .minDwell(Duration.ZERO)
                    .probeCount(1)
                    .slowCallDuration(Duration.ofSeconds(1))
                    .build())
            .rateLimiterOverride("place_order", new RateLimiterConfig(1, 1, Duration.ZERO))
            .rateLimiterOverride(
                "cancel_order", new RateLimiterConfig(1000, 1, Duration.ofSeconds(1)))
            .build();
    placeOrder = registry.guard("place_order", "exchange", false);
    cancelOrder = registry.guard("cancel_order", "exchange", false);
    getQuote = registry.guard("get_quote", "quotes", false);
    new ResilienceMetrics(registry).bindTo(meters);
  }

  @Test
  void everySeriesOfEveryGuardAndBreakerExistsAtZeroRightAfterBinding() {
    for (String endpoint : List.of("place_order", "cancel_order", "get_quote")) {
      for (String outcome : OUTCOMES) {
        assertThat(calls(endpoint, outcome)).as("%s %s", endpoint, outcome).isZero();
      }
      for (String code : COMMON_CODES) {
        assertThat(failures(endpoint, code)).as("%s %s", endpoint, code).isZero();
      }
      assertThat(counter("resilience.rate.limit.hits", "endpoint", endpoint)).isZero();
      assertThat(waitTimer(endpoint).count()).isZero();
    }
    assertThat(availableTokens("place_order")).isEqualTo(1.0);
    assertThat(availableTokens("get_quote")).isEqualTo(16.0); // the default burst
    for (String breaker : List.of("exchange", "quotes")) {
      assertThat(breakerState(breaker)).isZero();
      assertThat(meters.find("resilience.breaker.transitions").tag("breaker", breaker).counters())
          .as("the 4 changes a breaker makes on its own and OPEN to CLOSED when forced")
          .hasSize(5)
          .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }
    assertThat(meters.find("resilience.calls").counters()).hasSize(3 * OUTCOMES.size());
    assertThat(meters.find("resilience.failures").counters()).hasSize(3 * COMMON_CODES.size());
    assertThat(meters.find("resilience.breaker.state").gauges()).hasSize(2);
  }

  @Test
  void everyMeterHasADescriptionAndAResilienceName() {
    assertThat(ownMeters())
        .isNotEmpty()
        .allSatisfy(
            meter -> {
              assertThat(meter.getId().getName()).startsWith("resilience.");
              assertThat(meter.getId().getDescription()).isNotBlank();
            });
  }

  @Test
  void successfulCallCountsAsSuccessOnly() throws Exception {
    assertThat(getQuote.call(() -> "quote", FailureClassifier.jdk())).isEqualTo("quote");

    assertThat(calls("get_quote", "success")).isEqualTo(1.0);
    assertThat(calls("get_quote", "failure")).isZero();
    assertThat(calls("place_order", "success")).as("another endpoint").isZero();
    assertThat(counter("resilience.rate.limit.hits", "endpoint", "get_quote")).isZero();
  }

  @Test
  void failureCountsAsFailureAndUnderItsCode() {
    assertThatThrownBy(
            () ->
                getQuote.call(
                    () -> {
                      throw new SocketTimeoutException("read timed out");
                    },
                    FailureClassifier.jdk()))
        .isInstanceOf(SocketTimeoutException.class);

    assertThat(calls("get_quote", "failure")).isEqualTo(1.0);
    assertThat(calls("get_quote", "success")).isZero();
    assertThat(failures("get_quote", "timeout")).isEqualTo(1.0);
    assertThat(failures("get_quote", "network")).isZero();
  }

  @Test
  void errorTheClassifierIgnoresCountsAsIgnoredErrorAndNoFailure() {
    assertThatThrownBy(
            () ->
                getQuote.call(
                    () -> {
                      throw new IllegalArgumentException("bad symbol");
                    },
                    FailureClassifier.jdk()))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(calls("get_quote", "ignored_error")).isEqualTo(1.0);
    assertThat(calls("get_quote", "failure")).isZero();
    assertThat(meters.find("resilience.failures").tag("endpoint", "get_quote").counters())
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
  }

  @Test
  void uncommonCodeGetsItsSeriesOnFirstUseAndKeepsIt() {
    FailureClassifier teapot = error -> "418";
    assertThat(
            meters
                .find("resilience.failures")
                .tags("endpoint", "get_quote", "code", "418")
                .counter())
        .isNull();

    fail(getQuote, teapot);
    Counter created =
        meters.get("resilience.failures").tags("endpoint", "get_quote", "code", "418").counter();
    assertThat(created.count()).isEqualTo(1.0);
    now.addAndGet(Duration.ofSeconds(61).toNanos()); // out of the window: the breaker stays closed
    fail(getQuote, teapot);

    assertThat(created.count()).isEqualTo(2.0);
    assertThat(calls("get_quote", "failure")).isEqualTo(2.0);
  }

  @Test
  void codesBeyondTheBreakersCapAreCountedAsOtherExactlyAsTheBreakerCountsThem() {
    for (int i = 0; i < FailureCodes.MAX_DISTINCT + 2; i++) {
      String code = "code" + i;
      registry.circuitBreaker("quotes").reset(); // keep the breaker closed for the next failure
      fail(getQuote, error -> code);
    }

    List<String> codes =
        meters.find("resilience.failures").tag("endpoint", "get_quote").counters().stream()
            .map(counter -> counter.getId().getTag("code"))
            .toList();
    assertThat(codes)
        .hasSize(EndpointMeters.COMMON_CODES.size() + FailureCodes.MAX_DISTINCT)
        .contains("code0", "code8", "other")
        .doesNotContain("code9", "code10", "code11");
    assertThat(failures("get_quote", "other")).isEqualTo(3.0);
    assertThat(registry.circuitBreaker("quotes").snapshot().failureCodes())
        .as("the actuator's failureCodes name the same code")
        .containsOnlyKeys("other");
    assertThat(calls("get_quote", "failure")).isEqualTo(12.0);
  }

  @Test
  void slowSuccessCountsAsSlowFailureLikeTheBreakerCountsIt() throws Exception {
    getQuote.call(
        () -> {
          now.addAndGet(Duration.ofSeconds(1).toNanos());
          return "late quote";
        },
        FailureClassifier.jdk());

    assertThat(calls("get_quote", "failure")).isEqualTo(1.0);
    assertThat(calls("get_quote", "success")).isZero();
    assertThat(failures("get_quote", "slow")).isEqualTo(1.0);
    assertThat(getQuote.breaker().snapshot().failureCodes())
        .as("what the breaker counted")
        .containsEntry("slow", 1L);
  }

  @Test
  void callRejectedByForcedOpenBreakerCountsAsRejectedBreakerAndTakesNoToken() {
    placeOrder.breaker().forceOpen();
    assertThat(breakerState("exchange")).isEqualTo(1.0);

    assertThatThrownBy(placeOrder::admit).isInstanceOf(CircuitOpenException.class);

    assertThat(calls("place_order", "rejected_breaker")).isEqualTo(1.0);
    assertThat(calls("place_order", "rejected_rate_limit")).isZero();
    assertThat(counter("resilience.rate.limit.hits", "endpoint", "place_order")).isZero();
    assertThat(availableTokens("place_order")).isEqualTo(1.0);
    assertThat(transitions("exchange", "CLOSED", "OPEN")).isEqualTo(1.0);
  }

  @Test
  void callFindingTheBucketEmptyCountsAsHitAndRejectedRateLimitWithoutWaitRecorded()
      throws Exception {
    placeOrder.call(() -> "first", FailureClassifier.jdk());
    assertThat(availableTokens("place_order")).isZero();

    assertThatThrownBy(placeOrder::admit).isInstanceOf(RateLimitedException.class);

    assertThat(calls("place_order", "success")).isEqualTo(1.0);
    assertThat(calls("place_order", "rejected_rate_limit")).isEqualTo(1.0);
    assertThat(calls("place_order", "rejected_breaker")).isZero();
    assertThat(counter("resilience.rate.limit.hits", "endpoint", "place_order")).isEqualTo(1.0);
    assertThat(waitTimer("place_order").count()).as("rejected calls did not wait").isZero();
  }

  @Test
  void availableTokensGaugeReadsTheBucketWhenRead() throws Exception {
    assertThat(availableTokens("place_order")).isEqualTo(1.0);
    placeOrder.call(() -> "first", FailureClassifier.jdk());
    assertThat(availableTokens("place_order")).isZero();

    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(availableTokens("place_order")).isEqualTo(0.5);
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(availableTokens("place_order")).isEqualTo(1.0);
  }

  @Test
  void admittedCallsThatWaitedRecordTheirWaitInTheServiceLevelBuckets() throws Exception {
    // The ticker stands still: the 2nd call reserves the token due in 1 ms, the 3rd the one in 2
    // ms.
    for (int i = 0; i < 3; i++) {
      cancelOrder.call(() -> "cancelled", FailureClassifier.jdk());
    }

    Timer wait = waitTimer("cancel_order");
    assertThat(wait.count()).isEqualTo(2);
    assertThat(wait.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(3_000_000.0);
    assertThat(wait.max(TimeUnit.NANOSECONDS)).isEqualTo(2_000_000.0);
    assertThat(wait.takeSnapshot().histogramCounts())
        .extracting(CountAtBucket::bucket, CountAtBucket::count)
        .startsWith(tuple(1_000_000.0, 1.0), tuple(5_000_000.0, 2.0))
        .hasSize(11);
    assertThat(counter("resilience.rate.limit.hits", "endpoint", "cancel_order")).isEqualTo(2.0);
    assertThat(calls("cancel_order", "success")).isEqualTo(3.0);
    assertThat(calls("cancel_order", "rejected_rate_limit")).isZero();
  }

  @Test
  void waitBucketsAreExactlyTheServiceLevelObjectives() {
    assertThat(waitTimer("place_order").takeSnapshot().histogramCounts())
        .extracting(CountAtBucket::bucket)
        .containsExactly(1e6, 5e6, 10e6, 25e6, 50e6, 100e6, 250e6, 500e6, 1000e6, 2500e6, 5000e6);
  }

  @Test
  void theStateGaugeOfAnIdleOpenBreakerShowsHalfOpenOnceTheCooldownHasPassed() {
    fail(getQuote, FailureClassifier.jdk());
    fail(getQuote, FailureClassifier.jdk());
    assertThat(breakerState("quotes")).isEqualTo(1.0);

    now.addAndGet(Duration.ofSeconds(10).toNanos());

    assertThat(breakerState("quotes"))
        .as("no call came: the scrape itself sees the truth")
        .isEqualTo(2.0);
    assertThat(transitions("quotes", "OPEN", "HALF_OPEN")).isEqualTo(1.0);
  }

  @Test
  void everyBreakerTransitionIsCountedOnceWithItsFromAndTo() throws Exception {
    CircuitBreaker quotes = getQuote.breaker();
    fail(getQuote, FailureClassifier.jdk());
    fail(getQuote, FailureClassifier.jdk());
    assertThat(breakerState("quotes")).isEqualTo(1.0);

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    GuardedCall probe = getQuote.admit();
    assertThat(breakerState("quotes")).isEqualTo(2.0);
    probe.succeeded();
    assertThat(breakerState("quotes")).isZero();

    fail(getQuote, FailureClassifier.jdk());
    fail(getQuote, FailureClassifier.jdk());
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    fail(getQuote, FailureClassifier.jdk()); // the failed probe reopens
    quotes.forceClose();
    quotes.forceOpen();
    quotes.reset();
    assertThat(breakerState("quotes")).isZero();

    assertThat(transitions("quotes", "CLOSED", "OPEN")).isEqualTo(3.0);
    assertThat(transitions("quotes", "OPEN", "HALF_OPEN")).isEqualTo(2.0);
    assertThat(transitions("quotes", "HALF_OPEN", "CLOSED")).isEqualTo(1.0);
    assertThat(transitions("quotes", "HALF_OPEN", "OPEN")).isEqualTo(1.0);
    assertThat(transitions("quotes", "OPEN", "CLOSED")).isEqualTo(2.0);
    assertThat(
            meters
                .find("resilience.breaker.transitions")
                .tags("from", "CLOSED", "to", "HALF_OPEN")
                .counter())
        .as("a change no breaker makes")
        .isNull();
    assertThat(meters.find("resilience.breaker.transitions").tag("breaker", "exchange").counters())
        .as("another breaker")
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
  }

  @Test
  void breakerSharedByTwoEndpointsCountsEachTransitionOnce() {
    placeOrder.breaker().forceOpen();

    assertThat(cancelOrder.breaker()).isSameAs(placeOrder.breaker());
    assertThat(transitions("exchange", "CLOSED", "OPEN")).isEqualTo(1.0);
    assertThat(meters.find("resilience.breaker.state").tag("breaker", "exchange").gauges())
        .hasSize(1);
  }

  @Test
  void guardBoundAfterBindingHasItsSeriesAtOnceAndCountsItsCalls() throws Exception {
    Guard late = registry.guard("late_endpoint", "late_breaker", false);

    assertThat(calls("late_endpoint", "success")).isZero();
    assertThat(breakerState("late_breaker")).isZero();
    late.call(() -> "ok", FailureClassifier.jdk());
    late.breaker().forceOpen();

    assertThat(calls("late_endpoint", "success")).isEqualTo(1.0);
    assertThat(transitions("late_breaker", "CLOSED", "OPEN")).isEqualTo(1.0);
  }

  @Test
  void breakerCreatedWithoutAGuardBeforeBindingHasItsSeries() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    registry.circuitBreaker("standalone").forceOpen();

    new ResilienceMetrics(registry).bindTo(other);

    assertThat(other.get("resilience.breaker.state").tag("breaker", "standalone").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void bindingTheSameMeterRegistryTwiceCountsEachEventOnce() throws Exception {
    ResilienceMetrics metrics = new ResilienceMetrics(registry);
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    metrics.bindTo(other);
    metrics.bindTo(other);

    getQuote.call(() -> "quote", FailureClassifier.jdk());
    getQuote.breaker().forceOpen();

    assertThat(
            other
                .get("resilience.calls")
                .tags("endpoint", "get_quote", "outcome", "success")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            other
                .get("resilience.breaker.transitions")
                .tags("breaker", "quotes", "from", "CLOSED", "to", "OPEN")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(calls("get_quote", "success"))
        .as("the first registry, bound separately")
        .isEqualTo(1.0);
  }

  @Test
  void noTagCarriesAValueOutsideTheDeclaredNamesOutcomesCodesAndStates() throws Exception {
    getQuote.call(() -> "quote", FailureClassifier.jdk());
    fail(getQuote, FailureClassifier.jdk());

    assertThat(ownMeters())
        .flatMap(meter -> meter.getId().getTags())
        .allSatisfy(
            tag -> {
              switch (tag.getKey()) {
                case "endpoint" ->
                    assertThat(tag.getValue()).isIn("place_order", "cancel_order", "get_quote");
                case "breaker" -> assertThat(tag.getValue()).isIn("exchange", "quotes");
                case "outcome" -> assertThat(tag.getValue()).isIn(OUTCOMES);
                case "code" -> assertThat(tag.getValue()).isIn(COMMON_CODES);
                case "from", "to" -> assertThat(tag.getValue()).isIn(STATES);
                default -> throw new AssertionError("unexpected tag " + tag);
              }
            });
  }

  /**
   * Returns our meters, without the {@code *.histogram} gauges (tag {@code le}) that a registry
   * with no histogram type of its own, such as the simple one, derives from the wait timer's
   * buckets.
   */
  private List<Meter> ownMeters() {
    return meters.getMeters().stream()
        .filter(meter -> !meter.getId().getName().endsWith(".histogram"))
        .toList();
  }

  private void fail(Guard guard, FailureClassifier classifier) {
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      throw new SocketTimeoutException("downstream did not answer");
                    },
                    classifier))
        .isInstanceOf(SocketTimeoutException.class);
  }

  private double calls(String endpoint, String outcome) {
    return counter("resilience.calls", "endpoint", endpoint, "outcome", outcome);
  }

  private double failures(String endpoint, String code) {
    return counter("resilience.failures", "endpoint", endpoint, "code", code);
  }

  private double transitions(String breaker, String from, String to) {
    return counter("resilience.breaker.transitions", "breaker", breaker, "from", from, "to", to);
  }

  private double counter(String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }

  private double breakerState(String breaker) {
    return meters.get("resilience.breaker.state").tag("breaker", breaker).gauge().value();
  }

  private double availableTokens(String endpoint) {
    return meters
        .get("resilience.rate.limit.available.tokens")
        .tag("endpoint", endpoint)
        .gauge()
        .value();
  }

  private Timer waitTimer(String endpoint) {
    return meters.get("resilience.rate.limit.wait").tag("endpoint", endpoint).timer();
  }
}
