/**
 * A small Spring Boot application with one inbound rule, and a servlet request and response that
 * {@link dev.resilience.benchmarks.InboundFilterBenchmark} reuses for every call of the filter.
 */
package dev.resilience.benchmarks.inbound;
