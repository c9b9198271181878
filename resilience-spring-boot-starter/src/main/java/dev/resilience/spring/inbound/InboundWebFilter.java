package dev.resilience.spring.inbound;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Applies the inbound rules to WebFlux requests, right after Spring Security's {@code
 * WebFilterChainProxy} (order -100), so that {@code principal} keys see the authenticated user. The
 * principal is only awaited for requests that a rule keyed on it matches.
 */
final class InboundWebFilter implements WebFilter, Ordered {

  /** Right after Spring Security's {@code WebFilterChainProxy}, at -100. */
  static final int ORDER = -99;

  private static final MediaType PROBLEM_JSON = MediaType.parseMediaType(Decision.PROBLEM_JSON);

  private final InboundLimiter limiter;

  InboundWebFilter(InboundLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    Request request = new Request(exchange, limiter.gateCount());
    if (!limiter.needsPrincipal(request)) {
      return apply(limiter.decide(request), request, exchange, chain);
    }
    return exchange
        .getPrincipal()
        .map(Principal::getName)
        .defaultIfEmpty("")
        .flatMap(
            name -> {
              request.principal = name.isEmpty() ? null : name;
              return apply(limiter.decide(request), request, exchange, chain);
            });
  }

  private Mono<Void> apply(
      Decision decision, Request request, ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpResponse response = exchange.getResponse();
    HttpHeaders headers = response.getHeaders();
    if (decision.policyHeader() != null) {
      headers.set("RateLimit-Policy", decision.policyHeader());
    }
    if (decision.rateLimitHeader() != null) {
      headers.set("RateLimit", decision.rateLimitHeader());
    }
    if (decision.proceeds()) {
      Slots slots = request.heldSlots();
      if (slots == null || slots.isEmpty()) {
        return chain.filter(exchange);
      }
      // Given back however the exchange ends; its time counts only if it ended normally (below
      // 500, no error, not cancelled): a failure, often fast, says nothing of the service's speed.
      return chain
          .filter(exchange)
          .doFinally(
              signal -> {
                HttpStatusCode status = response.getStatusCode();
                limiter.release(
                    slots,
                    signal == SignalType.ON_COMPLETE
                        && (status == null || !status.is5xxServerError()));
              });
    }
    if (decision.retryAfterSeconds() > 0) {
      headers.set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
    }
    byte[] body = Objects.requireNonNull(decision.body()).getBytes(StandardCharsets.UTF_8);
    response.setStatusCode(HttpStatus.valueOf(decision.status()));
    headers.setContentType(PROBLEM_JSON);
    headers.setContentLength(body.length);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }

  /** A reactive request as the rules read it. */
  private static final class Request extends SlotHoldingRequest {

    private final ServerHttpRequest request;
    private final ServerHttpResponse response;
    private final PathContainer path;
    private final String rawPath;
    @Nullable String principal;

    Request(ServerWebExchange exchange, int gates) {
      super(gates);
      this.request = exchange.getRequest();
      this.response = exchange.getResponse();
      this.path = request.getPath().pathWithinApplication();
      this.rawPath = path.value();
    }

    @Override
    public String method() {
      return request.getMethod().name();
    }

    @Override
    public String rawPath() {
      return rawPath;
    }

    @Override
    public PathContainer path() {
      return path;
    }

    @Override
    public @Nullable String peer() {
      InetSocketAddress remote = request.getRemoteAddress();
      if (remote == null) {
        return null;
      }
      // The address as received; never getHostName(), which would look the peer up in DNS.
      return remote.getAddress() != null
          ? remote.getAddress().getHostAddress()
          : remote.getHostString();
    }

    @Override
    public @Nullable String header(String name) {
      return request.getHeaders().getFirst(name);
    }

    @Override
    public @Nullable String joinedHeader(String name) {
      List<String> values = request.getHeaders().get(name);
      if (values == null || values.isEmpty()) {
        return null;
      }
      return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    @Override
    public @Nullable String principal() {
      return principal;
    }

    @Override
    public void rateLimitHeaders(String policy, String rateLimit) {
      HttpHeaders headers = response.getHeaders();
      headers.set("RateLimit-Policy", policy);
      headers.set("RateLimit", rateLimit);
    }
  }
}
