/** The trading API and its guarded client of the exchange. */
@NullMarked
package dev.resilience.sample.trading;

import org.jspecify.annotations.NullMarked;
