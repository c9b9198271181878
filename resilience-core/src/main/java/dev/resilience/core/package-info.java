/**
 * The public API of resilience-core.
 *
 * <ul>
 *   <li>{@link dev.resilience.core.CircuitBreaker}: a breaker over a sliding time window, created by
 *       {@link dev.resilience.core.CircuitBreaker#of}.
 *   <li>{@link dev.resilience.core.RateLimiter}: a token bucket, created by
 *       {@link dev.resilience.core.RateLimiter#tokenBucket}.
 *   <li>{@link dev.resilience.core.ResilienceRegistry}: creates and holds named breakers and buckets
 *       from defaults plus per-name overrides.
 *   <li>{@link dev.resilience.core.Ticker}: the monotonic nanosecond clock every component reads.
 * </ul>
 *
 * <p>Everything here is safe for concurrent use. Nothing in this package returns or accepts
 * {@code null} unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.resilience.core;

import org.jspecify.annotations.NullMarked;
