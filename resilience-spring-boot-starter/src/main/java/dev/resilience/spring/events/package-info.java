/**
 * What happened to the breakers, the buckets and the stores they live in, most recent first:
 * breaker transitions, operator actions, limit changes and backend switches, kept in a bounded log
 * that the actuator and the live page read, and each breaker transition published as a Spring
 * {@code ApplicationEvent}.
 */
@NullMarked
package dev.resilience.spring.events;

import org.jspecify.annotations.NullMarked;
