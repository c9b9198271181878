/** The {@code @Guarded} aspect, its start-up discovery and the failure classification of calls. */
@NullMarked
package dev.resilience.spring.aspect;

import org.jspecify.annotations.NullMarked;
