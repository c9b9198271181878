package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to the running sample app, answered whatever their status. */
final class SampleHttp {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Words that would give away how the app is built or where its exchange lives. */
  private static final String[] INTERNALS = {
    "http://",
    "https://",
    "localhost",
    "127.0.0.1",
    "Exception",
    "I/O error",
    "java.",
    "tools.jackson",
    "dev.resilience",
    "org.springframework",
    "timed out",
    "Connection refused"
  };

  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String detail() {
      return json().get("detail").asString();
    }

    String title() {
      return json().get("title").asString();
    }

    /** Asserts a problem+json answer with this status, title and detail. */
    Answer assertProblem(int expectedStatus, String expectedTitle, String expectedDetail) {
      assertThat(status()).as(body).isEqualTo(expectedStatus);
      assertThat(headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat(title()).isEqualTo(expectedTitle);
      assertThat(detail()).isEqualTo(expectedDetail);
      return this;
    }

    /** Asserts that the answer names no URL, host, exception or class of the app. */
    Answer assertNoInternals() {
      for (String internal : INTERNALS) {
        assertThat(body).as("answer must not carry internals").doesNotContainIgnoringCase(internal);
      }
      return this;
    }
  }

  /** The operator's password in the tests that force breakers or switch chaos on. */
  static final String OPERATOR_PASSWORD = "test-operator-password";

  /** The property that sets it, for {@code @SpringBootTest(properties = ...)}. */
  static final String OPERATOR_PASSWORD_PROPERTY = "sample.operator.password=" + OPERATOR_PASSWORD;

  private final RestClient http;
  private final String apiKey;
  private final @Nullable String authorization;

  /** Calls as a pro-tier client, whom the inbound rule leaves 50 requests a second. */
  SampleHttp(int port) {
    this(port, "pro-key-1");
  }

  /** Calls with this {@code X-Api-Key}. */
  SampleHttp(int port, String apiKey) {
    this(RestClient.create("http://localhost:" + port), apiKey, null);
  }

  private SampleHttp(RestClient http, String apiKey, @Nullable String authorization) {
    this.http = http;
    this.apiKey = apiKey;
    this.authorization = authorization;
  }

  /** The same calls with another {@code X-Api-Key}, on the same connections. */
  SampleHttp withApiKey(String otherApiKey) {
    return new SampleHttp(http, otherApiKey, authorization);
  }

  /** The same calls, signed in as the operator ({@link #OPERATOR_PASSWORD}) with HTTP Basic. */
  SampleHttp asOperator() {
    return withBasic("operator", OPERATOR_PASSWORD);
  }

  /** The same calls, with these HTTP Basic credentials. */
  SampleHttp withBasic(String user, String password) {
    String credentials = user + ":" + password;
    return new SampleHttp(
        http,
        apiKey,
        "Basic "
            + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  Answer send(String method, String path, @Nullable String body) {
    return send(method, path, MediaType.APPLICATION_JSON, body);
  }

  /** Sends a body of this content type, as a browser's form or a script may. */
  Answer send(String method, String path, MediaType contentType, @Nullable String body) {
    RestClient.RequestBodySpec request =
        http.method(HttpMethod.valueOf(method)).uri(path).header("X-Api-Key", apiKey);
    if (authorization != null) {
      request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (body != null) {
      request.contentType(contentType).body(body);
    }
    return request.exchange(
        (req, res) ->
            new Answer(
                res.getStatusCode().value(),
                res.getHeaders(),
                new String(res.getBody().readAllBytes())));
  }

  Answer get(String path) {
    return send("GET", path, null);
  }
}
