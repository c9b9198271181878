/**
 * A real redis-server for the tests and benchmarks of the Redis backend: never a mock, never
 * skipped.
 */
@NullMarked
package dev.resilience.testredis;

import org.jspecify.annotations.NullMarked;
