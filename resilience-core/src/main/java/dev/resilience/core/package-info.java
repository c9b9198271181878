/**
 * The public API of resilience-core.
 *
 * <ul>
 *   <li>{@link dev.resilience.core.ResilienceRegistry}: creates and holds the named breakers and
 *       buckets, from defaults plus per-name overrides, and binds endpoints to them.
 *   <li>{@link dev.resilience.core.Guard}: one endpoint's breaker and bucket, in that order; {@link
 *       dev.resilience.core.Guard#call} runs a call, {@link dev.resilience.core.Guard#admit} admits
 *       one whose outcome the caller reports on a {@link dev.resilience.core.GuardedCall}.
 *   <li>{@link dev.resilience.core.CircuitBreaker}: a breaker's state, counts and switches.
 *   <li>{@link dev.resilience.core.RateLimiter}: a token bucket, also usable alone through {@link
 *       dev.resilience.core.RateLimiter#tokenBucket}.
 *   <li>{@link dev.resilience.core.Gcra}, {@link dev.resilience.core.FailureCodes}, {@link
 *       dev.resilience.core.CircuitState}: the rules every store and every layer shares.
 *   <li>{@link dev.resilience.core.Ticker}: the monotonic nanosecond clock every component reads.
 * </ul>
 *
 * <p>Everything here is safe for concurrent use. Nothing in this package returns or accepts {@code
 * null} unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.resilience.core;

import org.jspecify.annotations.NullMarked;
