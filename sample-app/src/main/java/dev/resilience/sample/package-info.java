/** The sample trading app: a client guarded by resilience in front of a simulated exchange. */
@NullMarked
package dev.resilience.sample;

import org.jspecify.annotations.NullMarked;
