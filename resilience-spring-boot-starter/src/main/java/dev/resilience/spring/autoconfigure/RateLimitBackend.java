package dev.resilience.spring.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A store other than this instance's memory that holds the buckets ({@code
 * resilience.rate-limiter.backend}), as the actuator shows it. No bean of this type means the
 * buckets are local.
 */
public interface RateLimitBackend {

  /** Returns the backend's name, as {@code resilience.rate-limiter.backend} spells it. */
  String name();

  /** Returns whether decisions go to the store now; false while its failure policy decides. */
  boolean isUp();

  /** Returns what decides while the store does not answer, in lower case. */
  String failurePolicy();

  /** Returns the longest a decision waits for the store. */
  Duration timeout();

  /** Returns the tokens a bucket takes per round trip to spend locally; 0: none. */
  int lease();

  /** Returns the calls to the store that failed or timed out since start. */
  long errors();

  /** Returns why the store last failed, or null if it never did. */
  @Nullable String lastError();
}
