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
 * <p>With {@link #key()}, each key (an account, an API key, a peer) has its own bucket with the
 * endpoint's rate and burst, while the breaker stays shared by all keys:
 *
 * <pre>{@code
 * @Guarded(endpoint = "place_order", breaker = "exchange", key = "#request.account")
 * public Order place(OrderRequest request) { ... }
 * }</pre>
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

  /**
   * A SpEL expression over the method's arguments that names the caller's key, as in
   * {@code @Cacheable(key = ...)}: a parameter by name ({@code #request.account}, which needs the
   * class compiled with {@code -parameters}, as Spring Boot's build plugins do), or by position
   * ({@code #p0}, {@code #a0}); {@code #root.args}, {@code #root.method} and {@code #root.target}
   * are there too. Each key gets its own bucket with the endpoint's rate and burst; the breaker
   * stays shared by all keys. A null or blank value is the key {@code anonymous}; any other value
   * is used as {@code String.valueOf(value)}.
   *
   * <p>The expression is parsed once, at start-up: one that does not parse, or that names a
   * variable the method has no parameter for, stops start-up. Default: none, one bucket for all
   * calls. An endpoint is keyed in every declaration or in none.
   */
  String key() default "";
}
