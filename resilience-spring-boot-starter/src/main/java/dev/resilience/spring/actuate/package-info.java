/**
 * The {@code resilience} actuator endpoint and health contributor: what every breaker and bucket of
 * the registry looks like, and operator control of the breakers.
 */
@NullMarked
package dev.resilience.spring.actuate;

import org.jspecify.annotations.NullMarked;
