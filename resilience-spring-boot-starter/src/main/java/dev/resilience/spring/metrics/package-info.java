/**
 * Micrometer meters of the breakers and buckets: {@code resilience.*}, bound when Micrometer and a
 * {@code MeterRegistry} are present.
 */
@NullMarked
package dev.resilience.spring.metrics;

import org.jspecify.annotations.NullMarked;
