package dev.resilience.spring.inbound;

import java.net.URI;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One answer over real HTTP, whatever its status. */
record HttpAnswer(int status, HttpHeaders headers, String body) {

  JsonNode json() {
    return JsonMapper.builder().build().readTree(body);
  }

  /** Sends a request with the given headers; the path is sent as written, never re-encoded. */
  static HttpAnswer send(
      RestClient http,
      HttpMethod method,
      String baseUrl,
      String path,
      Consumer<HttpHeaders> headers) {
    return http.method(method)
        .uri(URI.create(baseUrl + path))
        .headers(headers)
        .exchange(
            (request, response) ->
                new HttpAnswer(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    new String(response.getBody().readAllBytes())));
  }
}
