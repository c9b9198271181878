package dev.resilience.sample;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * Spring Boot's error answers ({@code 404}, {@code 405}, {@code 415} and the like, for requests no
 * handler of ours answers) with the {@code path} capped as {@link Problems#echoPath} does: by
 * default they repeat the whole path, up to the server's 8 KB header limit.
 */
@Component
class BoundedErrorAttributes extends DefaultErrorAttributes {

  @Override
  public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
    Map<String, Object> attributes = super.getErrorAttributes(request, options);
    attributes.computeIfPresent("path", (name, path) -> Problems.echoPath(path.toString()));
    return attributes;
  }
}
