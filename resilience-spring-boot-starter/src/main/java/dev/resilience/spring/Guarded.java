package dev.resilience.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards a bean method (or every public method of a bean class) with a circuit breaker and a
 * token-bucket rate limiter.
 *
 * <pre>{@code
 * @Guarded(endpoint = "place_order", breaker = "exchange")
 * public Order place(OrderRequest request) { ... }
 * }</pre>
 *
 * <p>Per call: the breaker is asked first (an OPEN breaker rejects with {@link
 * dev.resilience.core.CircuitOpenException} without taking a token), then the endpoint's bucket
 * (waiting up to {@code max-wait}, else {@link dev.resilience.core.RateLimitedException}), then the
 * method runs and its outcome is reported to the breaker. Methods returning a {@code
 * CompletionStage} are guarded asynchronously: the outcome is recorded when the stage completes,
 * and a rejection is a failed stage.
 *
 * <p>Like {@code @Transactional}, the annotation works through a proxy: a bean calling its own
 * guarded method ({@code this.place(...)}) bypasses it.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Guarded {

  /**
   * The endpoint: names the token bucket and the metrics' {@code endpoint} tag. 1 to 64 of {@code
   * [A-Za-z0-9_.-]}.
   */
  String endpoint();

  /**
   * The circuit breaker; defaults to the endpoint's name. Endpoints that call the same downstream
   * name the same breaker, so that when it opens they all fail fast.
   */
  String breaker() default "";

  /**
   * Whether the call passes even while its breaker is OPEN or HALF_OPEN (health checks,
   * reconciliation, cancel-all). It is still rate limited and counted, its failures still count
   * toward opening the breaker, and its success never closes it.
   */
  boolean allowlist() default false;

  /**
   * The name of a method on the same bean, with the same parameters, optionally followed by one
   * {@code Throwable} parameter, called instead of failing when the call is rejected or fails. Its
   * return type must match the guarded method's.
   */
  String fallback() default "";
}
