/**
 * Applies {@code @Guarded}: start-up discovery and checks of the annotated methods, the Spring AOP
 * advisor and interceptor that guard their calls, and the typed start-up errors of a declaration
 * that cannot work, each with its failure analyzer.
 */
@NullMarked
package dev.resilience.spring.aspect;

import org.jspecify.annotations.NullMarked;
