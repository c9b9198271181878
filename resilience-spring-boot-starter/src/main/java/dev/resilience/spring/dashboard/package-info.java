/**
 * The live page at {@code /resilience} ({@code resilience.dashboard.enabled}): static HTML, CSS and
 * plain JavaScript from the starter's jar, kept live by a {@code text/event-stream} at {@code
 * /resilience/stream} that sends what changed.
 */
@NullMarked
package dev.resilience.spring.dashboard;

import org.jspecify.annotations.NullMarked;
