package dev.resilience.spring.aspect;

import dev.resilience.spring.Guarded;

/** A class-level @Guarded bean: every public method is guarded, a method's own annotation wins. */
@Guarded(endpoint = "reports", breaker = "reporting")
public class ReportClient {

  public String daily() {
    return "daily";
  }

  @Guarded(endpoint = "monthly_report", breaker = "reporting")
  public String monthly() {
    return "monthly";
  }
}
