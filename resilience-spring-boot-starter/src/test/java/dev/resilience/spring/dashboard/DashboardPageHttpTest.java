package dev.resilience.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** The page's files, as a browser fetches them. */
@SpringBootTest(
    classes = DashboardApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      DashboardApplication.DASHBOARD,
      DashboardApplication.ADAPTIVE_QUOTE,
      DashboardApplication.QUOTE_INITIAL,
      DashboardApplication.QUOTE_MAX
    })
class DashboardPageHttpTest {

  @LocalServerPort int port;

  private ResponseEntity<String> get(String path) {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri(path)
        .retrieve()
        .toEntity(String.class);
  }

  @Test
  void whenThePageIsFetchedThenItIsHtmlForPhonesReferringOnlyToItsOwnFiles() {
    ResponseEntity<String> page = get("/resilience");

    assertThat(page.getStatusCode().value()).isEqualTo(200);
    assertThat(page.getHeaders().getContentType().toString()).startsWith("text/html");
    assertThat(page.getBody())
        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .contains("href=\"resilience/dashboard.css\"")
        .contains("src=\"resilience/dashboard.js\"")
        .doesNotContain("http://", "https://", "//cdn");
  }

  @Test
  void whenTheScriptAndStyleAreFetchedThenTheyAreServedWithTheirTypes() {
    ResponseEntity<String> script = get("/resilience/dashboard.js");
    ResponseEntity<String> style = get("/resilience/dashboard.css");

    assertThat(script.getHeaders().getContentType().toString()).startsWith("text/javascript");
    assertThat(script.getBody()).contains("new EventSource('resilience/stream')");
    assertThat(style.getHeaders().getContentType().toString()).startsWith("text/css");
    assertThat(style.getBody()).contains(".state-OPEN").doesNotContain("@import", "url(");
  }
}
