package dev.resilience.spring.pacing;

import dev.resilience.spring.Guarded;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A downstream that answers 429 with the pause it wants in one of the header forms, and a client
 * whose {@code @Guarded} calls go to it over real HTTP; the downstream counts the calls it sees.
 */
@SpringBootApplication
class PacedApplication {

  /** The downstream: {@code /downstream/{form}} answers 429 with a pause in that form. */
  @RestController
  static class Downstream {

    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    int hits(String form) {
      return hits.computeIfAbsent(form, f -> new AtomicInteger()).get();
    }

    @GetMapping("/downstream/{form}")
    ResponseEntity<String> answer(@PathVariable String form) {
      hits.computeIfAbsent(form, f -> new AtomicInteger()).incrementAndGet();
      return switch (form) {
        case "seconds", "seconds-actuated" ->
            ResponseEntity.status(429).header("Retry-After", "2").body("slow down");
        case "rate-limit" ->
            ResponseEntity.status(429).header("RateLimit", "\"orders\";r=0;t=2").body("slow down");
        case "date" ->
            ResponseEntity.status(429)
                .header(
                    "Retry-After",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3)))
                .body("slow down");
        case "bare" -> ResponseEntity.status(429).body("slow down");
        default -> ResponseEntity.ok("ok");
      };
    }
  }

  /** The guarded client: one endpoint per header form, so that their pauses stay apart. */
  @Service
  public static class Client {

    private final RestClient http = RestClient.create();

    @Guarded(endpoint = "seconds", breaker = "downstream_seconds")
    public String seconds(String url) {
      return http.get().uri(url).retrieve().body(String.class);
    }

    @Guarded(endpoint = "rate_limit", breaker = "downstream_rate_limit")
    public String rateLimit(String url) {
      return http.get().uri(url).retrieve().body(String.class);
    }

    @Guarded(endpoint = "date", breaker = "downstream_date")
    public String date(String url) {
      return http.get().uri(url).retrieve().body(String.class);
    }

    @Guarded(endpoint = "actuated", breaker = "downstream_actuated")
    public String actuated(String url) {
      return http.get().uri(url).retrieve().body(String.class);
    }

    @Guarded(endpoint = "bare", breaker = "downstream_bare")
    public String bare(String url) {
      return http.get().uri(url).retrieve().body(String.class);
    }
  }
}
