/** The simulated exchange and its chaos switch: the downstream of the trading API. */
@NullMarked
package dev.resilience.sample.exchange;

import org.jspecify.annotations.NullMarked;
