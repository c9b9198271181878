package dev.resilience.sample.exchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

/**
 * How the simulated exchange misbehaves: answer {@code status} to a {@code failureRate} share of
 * requests, after {@code latencyMs}; and, with a {@code capacity}, serve only that many requests at
 * once, so that its latency grows with the load as a real overloaded exchange's does.
 *
 * @param status the HTTP status of a failed answer, 400 to 599
 * @param failureRate the share of requests that fail, 0.0 to 1.0
 * @param latencyMs added to every answer, 0 to 30000
 * @param retryAfterSeconds optional, 1 to 3600: sent as {@code Retry-After} on the failed answers
 *     when {@code status} is 429, to ask the caller to wait that long
 * @param capacity optional, 1 to 1000: how many requests the exchange serves at once; the others
 *     wait their turn (first come, first served) before their {@code latencyMs} starts. Left out,
 *     every request is served at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Chaos(
    @Min(value = 400, message = "must be between 400 and 599")
        @Max(value = 599, message = "must be between 400 and 599")
        int status,
    @DecimalMin(value = "0.0", message = "must be between 0.0 and 1.0")
        @DecimalMax(value = "1.0", message = "must be between 0.0 and 1.0")
        double failureRate,
    @Min(value = 0, message = "must be between 0 and 30000")
        @Max(value = 30_000, message = "must be between 0 and 30000")
        long latencyMs,
    @Min(value = 1, message = "must be between 1 and 3600")
        @Max(value = 3600, message = "must be between 1 and 3600")
        @Nullable Integer retryAfterSeconds,
    @Min(value = 1, message = "must be between 1 and 1000")
        @Max(value = 1000, message = "must be between 1 and 1000")
        @Nullable Integer capacity) {

  /** A healthy exchange. */
  public static final Chaos NONE = new Chaos(500, 0, 0, null, null);
}
