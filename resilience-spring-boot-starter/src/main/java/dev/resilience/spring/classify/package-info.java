/**
 * What counts as a failure of a guarded call, and under which code: the default classifier of
 * Spring's HTTP client and the JDK's network errors, the {@code ignore-exceptions} and {@code
 * record-exceptions} lists around it, and the classifier of each breaker.
 */
@NullMarked
package dev.resilience.spring.classify;

import org.jspecify.annotations.NullMarked;
