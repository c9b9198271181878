package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.sample.SampleHttp.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The trading API in front of an exchange that is not the simulated one: first a server that
 * answers what no client can read, then nothing at all on that port. The answers say what happened
 * and never where the exchange lives or what the HTTP client threw. The breaker's threshold is
 * raised so that these failures reach the exchange instead of failing fast.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "resilience.breaker.endpoint-overrides.exchange.fail-threshold=1000")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnreachableExchangeEndToEndTest {

  private static final String ORDER = "{\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"qty\":1}";

  private static HttpServer exchange;

  @LocalServerPort int port;

  @BeforeAll
  static void startAnExchangeThatAnswersHtml() throws IOException {
    exchange = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    exchange.createContext(
        "/",
        call -> {
          byte[] page =
              "<html><body>Service Temporarily Unavailable</body></html>"
                  .getBytes(StandardCharsets.UTF_8);
          call.getResponseHeaders().set("Content-Type", "text/html");
          call.sendResponseHeaders(200, page.length);
          try (OutputStream body = call.getResponseBody()) {
            body.write(page);
          }
        });
    exchange.start();
  }

  @AfterAll
  static void stopTheExchange() {
    exchange.stop(0);
  }

  @DynamicPropertySource
  static void pointTheClientAtIt(DynamicPropertyRegistry properties) {
    properties.add(
        "sample.exchange.base-url", () -> "http://127.0.0.1:" + exchange.getAddress().getPort());
  }

  @Test
  @Order(1)
  void whenTheExchangeAnswersWhatCannotBeReadThenTheAnswerIs502WithoutInternals() {
    SampleHttp http = new SampleHttp(port);
    for (Answer answer :
        new Answer[] {http.send("POST", "/orders", ORDER), http.get("/exchange/health")}) {
      answer
          .assertProblem(
              502, "Exchange failure", "the exchange sent an answer that could not be read")
          .assertNoInternals();
      assertThat(answer.body())
          .doesNotContain(String.valueOf(exchange.getAddress().getPort()))
          .doesNotContain("html");
    }
  }

  @Test
  @Order(2)
  void whenNothingListensWhereTheExchangeShouldBeThenTheAnswerIs502WithoutInternals() {
    int deadPort = exchange.getAddress().getPort();
    exchange.stop(0);
    SampleHttp http = new SampleHttp(port);
    for (Answer answer :
        new Answer[] {
          http.send("POST", "/orders", ORDER),
          http.send("DELETE", "/orders/some-id", null),
          http.get("/exchange/health")
        }) {
      answer
          .assertProblem(502, "Exchange failure", "the exchange could not be reached")
          .assertNoInternals();
      assertThat(answer.body()).doesNotContain(String.valueOf(deadPort));
    }
  }
}
