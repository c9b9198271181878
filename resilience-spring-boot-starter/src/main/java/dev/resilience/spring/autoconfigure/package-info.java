/** Auto-configuration of the registry, the {@code @Guarded} aspect and the properties. */
@NullMarked
package dev.resilience.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
