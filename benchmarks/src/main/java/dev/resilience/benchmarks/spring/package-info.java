/**
 * A small Spring Boot application for {@link dev.resilience.benchmarks.SpringBenchmark}: one bean
 * without an aspect, one behind an advice that only proceeds, one with {@code @Guarded}, one with
 * Resilience4j's annotations.
 */
package dev.resilience.benchmarks.spring;
