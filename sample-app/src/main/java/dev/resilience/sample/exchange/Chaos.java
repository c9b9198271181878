package dev.resilience.sample.exchange;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How the simulated exchange misbehaves: answer {@code status} to a {@code failureRate} share of
 * requests, after {@code latencyMs}.
 *
 * @param status the HTTP status of a failed answer, 400 to 599
 * @param failureRate the share of requests that fail, 0.0 to 1.0
 * @param latencyMs added to every answer, 0 to 30000
 */
public record Chaos(
    @Min(400) @Max(599) int status,
    @DecimalMin("0.0") @DecimalMax("1.0") double failureRate,
    @Min(0) @Max(30_000) long latencyMs) {

  /** A healthy exchange. */
  public static final Chaos NONE = new Chaos(500, 0, 0);
}
