/**
 * Limits on requests to the application itself, per client (SPEC section 10): rules matched by path
 * and method, keyed by address, header, principal or a SpEL expression, applied by a servlet filter
 * or a WebFlux {@code WebFilter} ordered after Spring Security's filter chain. The buckets per key
 * belong to the registry, so the actuator and the metrics see them like every other.
 */
@NullMarked
package dev.resilience.spring.inbound;

import org.jspecify.annotations.NullMarked;
