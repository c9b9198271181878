package dev.resilience.spring.dashboard;

import dev.resilience.spring.events.ResilienceEvent;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the stream's messages, written here rather than by the application's JSON mapper so
 * that the page reads the same field names whatever the application configures (as the actuator
 * does with its own mapper). The shapes are small and fixed:
 *
 * <ul>
 *   <li>{@code snapshot}: {@code {"breakers": [breaker...], "buckets": [bucket...], "adaptive":
 *       [adaptive...], "events": [event...]}}, events newest first;
 *   <li>{@code breaker}: {@code {"name": "exchange", "state": "OPEN", "forced": true}};
 *   <li>{@code buckets}: {@code [{"name": "place_order", "availableTokens": 7.5, "burst": 10,
 *       "capacityPerSecond": 5.0}...]}, only the buckets whose tokens changed;
 *   <li>{@code adaptive}: {@code [{"name": "place_order", "limit": 9, "inFlight": 2, "minLimit": 1,
 *       "maxLimit": 200, "lastChange": {"from": 10, "to": 9, "reason": "drop: 503", "time":
 *       "..."}}...]}, one per adaptive concurrency limit, in the snapshot all of them, later only
 *       those whose limit, calls in flight or last change moved; an endpoint without one is not
 *       listed;
 *   <li>{@code event}: {@code {"sequence": 3, "time": "...", "kind": "transition", "name":
 *       "exchange", "from": "CLOSED", "to": "OPEN"}}, {@code from}, {@code to} and {@code detail}
 *       left out when null.
 * </ul>
 */
final class DashboardJson {

  private DashboardJson() {}

  record Breaker(String name, String state, boolean forced) {}

  record Bucket(String name, double availableTokens, int burst, double capacityPerSecond) {}

  /**
   * An adaptive concurrency limit as it is now.
   *
   * @param name the name the page shows it under
   * @param from the limit before its last move
   * @param to the limit after its last move
   * @param reason why it last moved, e.g. {@code "drop: 503"}, or {@code "initial"}
   * @param time when it last moved, an ISO-8601 instant
   */
  record Adaptive(
      String name,
      int limit,
      int inFlight,
      int minLimit,
      int maxLimit,
      int from,
      int to,
      String reason,
      String time) {}

  static String snapshot(
      Collection<Breaker> breakers,
      Collection<Bucket> buckets,
      Collection<Adaptive> adaptive,
      List<ResilienceEvent> events) {
    StringBuilder json = new StringBuilder(256).append("{\"breakers\":[");
    String comma = "";
    for (Breaker breaker : breakers) {
      json.append(comma);
      breaker(json, breaker);
      comma = ",";
    }
    json.append("],\"buckets\":");
    buckets(json, buckets);
    json.append(",\"adaptive\":");
    adaptive(json, adaptive);
    json.append(",\"events\":[");
    comma = "";
    for (ResilienceEvent event : events) {
      json.append(comma);
      event(json, event);
      comma = ",";
    }
    return json.append("]}").toString();
  }

  static String breaker(Breaker breaker) {
    StringBuilder json = new StringBuilder(64);
    breaker(json, breaker);
    return json.toString();
  }

  static String buckets(Collection<Bucket> buckets) {
    StringBuilder json = new StringBuilder(64);
    buckets(json, buckets);
    return json.toString();
  }

  static String adaptive(Collection<Adaptive> adaptive) {
    StringBuilder json = new StringBuilder(160);
    adaptive(json, adaptive);
    return json.toString();
  }

  static String event(ResilienceEvent event) {
    StringBuilder json = new StringBuilder(128);
    event(json, event);
    return json.toString();
  }

  private static void breaker(StringBuilder json, Breaker breaker) {
    json.append("{\"name\":");
    string(json, breaker.name());
    json.append(",\"state\":");
    string(json, breaker.state());
    json.append(",\"forced\":").append(breaker.forced()).append('}');
  }

  private static void buckets(StringBuilder json, Collection<Bucket> buckets) {
    json.append('[');
    String comma = "";
    for (Bucket bucket : buckets) {
      json.append(comma).append("{\"name\":");
      string(json, bucket.name());
      json.append(",\"availableTokens\":")
          .append(number(bucket.availableTokens()))
          .append(",\"burst\":")
          .append(bucket.burst())
          .append(",\"capacityPerSecond\":")
          .append(number(bucket.capacityPerSecond()))
          .append('}');
      comma = ",";
    }
    json.append(']');
  }

  private static void adaptive(StringBuilder json, Collection<Adaptive> adaptive) {
    json.append('[');
    String comma = "";
    for (Adaptive limit : adaptive) {
      json.append(comma).append("{\"name\":");
      string(json, limit.name());
      json.append(",\"limit\":")
          .append(limit.limit())
          .append(",\"inFlight\":")
          .append(limit.inFlight())
          .append(",\"minLimit\":")
          .append(limit.minLimit())
          .append(",\"maxLimit\":")
          .append(limit.maxLimit())
          .append(",\"lastChange\":{\"from\":")
          .append(limit.from())
          .append(",\"to\":")
          .append(limit.to())
          .append(",\"reason\":");
      string(json, limit.reason());
      json.append(",\"time\":");
      string(json, limit.time());
      json.append("}}");
      comma = ",";
    }
    json.append(']');
  }

  private static void event(StringBuilder json, ResilienceEvent event) {
    json.append("{\"sequence\":").append(event.sequence()).append(",\"time\":");
    string(json, event.time().truncatedTo(ChronoUnit.MILLIS).toString());
    json.append(",\"kind\":");
    string(json, event.kind().id());
    json.append(",\"name\":");
    string(json, event.name());
    optional(json, "from", event.from());
    optional(json, "to", event.to());
    optional(json, "detail", event.detail());
    json.append('}');
  }

  private static void optional(StringBuilder json, String field, @Nullable String value) {
    if (value != null) {
      json.append(",\"").append(field).append("\":");
      string(json, value);
    }
  }

  /** A finite number as JSON has it; tokens are never infinite or NaN, but JSON has neither. */
  private static String number(double value) {
    return Double.isFinite(value) ? Double.toString(value) : "null";
  }

  /**
   * Writes {@code value} as a JSON string, escaping what JSON and an HTML page must not see raw.
   */
  private static void string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
