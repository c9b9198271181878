/**
 * Spring Boot integration of resilience: the {@link dev.resilience.spring.Guarded} annotation.
 * Auto-configuration lives in one package per concern: {@code autoconfigure} (properties, registry,
 * aspect), {@code actuate} (endpoint and health), {@code metrics} (Micrometer), {@code web} (HTTP
 * answers).
 */
@NullMarked
package dev.resilience.spring;

import org.jspecify.annotations.NullMarked;
