package dev.resilience.spring.dashboard;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Serves the live page and its stream. The page's files are resources of the starter's jar, read as
 * they are: no build step, nothing fetched from elsewhere. They refer to each other by relative
 * paths, so the page works under a servlet context path too.
 */
@RestController
final class DashboardController {

  private static final String ROOT = "dev/resilience/spring/dashboard/";

  private final DashboardStream stream;

  DashboardController(DashboardStream stream) {
    this.stream = stream;
  }

  /** The page. */
  @GetMapping("/resilience")
  public ResponseEntity<Resource> page() {
    return file("index.html", MediaType.TEXT_HTML);
  }

  /** The page's style sheet. */
  @GetMapping("/resilience/dashboard.css")
  public ResponseEntity<Resource> css() {
    return file("dashboard.css", MediaType.valueOf("text/css"));
  }

  /** The page's script. */
  @GetMapping("/resilience/dashboard.js")
  public ResponseEntity<Resource> script() {
    return file("dashboard.js", MediaType.valueOf("text/javascript"));
  }

  /** The stream of changes: a snapshot first, then what changes; see {@link DashboardJson}. */
  @GetMapping(path = "/resilience/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream() {
    return stream.connect();
  }

  private static ResponseEntity<Resource> file(String name, MediaType type) {
    // no-cache: a browser revalidates, so a new starter version's page is never mixed with an old
    // script; the files are small
    return ResponseEntity.ok()
        .contentType(type)
        .cacheControl(CacheControl.noCache())
        .body(new ClassPathResource(ROOT + name, DashboardController.class.getClassLoader()));
  }
}
