package dev.resilience.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A trading client in front of a simulated exchange that lives in the same process and is called
 * over real HTTP, so that downstream errors are classified exactly as in production.
 */
@SpringBootApplication
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
