/**
 * The sample's operator: the one user who may force breakers, change the actuator's state and
 * switch the simulated exchange's chaos on, over HTTP Basic. Everything else stays open.
 */
@NullMarked
package dev.resilience.sample.operator;

import org.jspecify.annotations.NullMarked;
