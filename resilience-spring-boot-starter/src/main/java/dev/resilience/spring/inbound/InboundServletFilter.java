package dev.resilience.spring.inbound;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Enumeration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the inbound rules to servlet requests. Registered after Spring Security's filter chain,
 * so that {@code principal} keys see the authenticated user.
 */
final class InboundServletFilter extends OncePerRequestFilter {

  /** The filter's name in the servlet container. */
  static final String NAME = "resilienceInboundFilter";

  /** The request attribute that marks a request this filter runs on: the inherited name. */
  private static final String FILTERED = NAME + ALREADY_FILTERED_SUFFIX;

  /** Each thread's reader of the request it serves. */
  private final ThreadLocal<Request> readers;

  private final InboundLimiter limiter;

  InboundServletFilter(InboundLimiter limiter) {
    this.limiter = limiter;
    int gates = limiter.gateCount();
    this.readers = ThreadLocal.withInitial(() -> new Request(gates));
  }

  /**
   * The name {@code OncePerRequestFilter} would make, made once: it reads it on every request, and
   * its own joins the name and the suffix anew each time.
   */
  @Override
  protected String getAlreadyFilteredAttributeName() {
    return FILTERED;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Request reader = readers.get().reading(request, response);
    Decision decision;
    try {
      decision = limiter.decide(reader);
    } finally {
      reader.done();
    }
    if (decision.proceeds()) {
      Slots slots = reader.heldSlots();
      if (slots == null || slots.isEmpty()) {
        chain.doFilter(request, response);
      } else {
        proceedHolding(slots, request, response, chain);
      }
      return;
    }
    if (decision.policyHeader() != null) {
      response.setHeader("RateLimit-Policy", decision.policyHeader());
    }
    if (decision.rateLimitHeader() != null) {
      response.setHeader("RateLimit", decision.rateLimitHeader());
    }
    if (decision.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
    }
    byte[] body = Objects.requireNonNull(decision.body()).getBytes(StandardCharsets.UTF_8);
    response.setStatus(decision.status());
    response.setContentType(Decision.PROBLEM_JSON);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /**
   * Runs the rest of the chain for a request that holds adaptive limits' slots, and gives them back
   * when it ends: when the chain returns, or for an asynchronous request when it completes. Its
   * time counts only if it ended normally (below 500, no exception): a failure, often fast, says
   * nothing of how long the service takes.
   */
  private void proceedHolding(
      Slots slots, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      limiter.release(slots, false);
      throw e;
    }
    if (request.isAsyncStarted()) {
      // the thread's holder serves its next request: the slots move with the request
      request.getAsyncContext().addListener(new ReleaseOnComplete(limiter, slots.detach()));
    } else {
      limiter.release(slots, response.getStatus() < 500);
    }
  }

  /** Gives an asynchronous request's slots back when it completes, whichever way. */
  private static final class ReleaseOnComplete implements AsyncListener {

    private final InboundLimiter limiter;
    private final Slots slots;
    private volatile boolean failed;

    ReleaseOnComplete(InboundLimiter limiter, Slots slots) {
      this.limiter = limiter;
      this.slots = slots;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      boolean measured =
          !failed
              && event.getSuppliedResponse() instanceof HttpServletResponse answer
              && answer.getStatus() < 500;
      limiter.release(slots, measured);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      failed = true;
    }

    @Override
    public void onError(AsyncEvent event) {
      failed = true;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // a new asynchronous cycle of the same request: this listener must hear its end too
      event.getAsyncContext().addListener(this);
    }
  }

  /**
   * A servlet request as the rules read it, one per thread and reused request after request, so
   * that a request allocates no reader (a servlet container serves a request on one thread).
   */
  private static final class Request extends SlotHoldingRequest {

    private @Nullable HttpServletRequest request;
    private @Nullable HttpServletResponse response;
    private String rawPath = "";
    private @Nullable PathContainer path;

    Request(int gates) {
      super(gates);
    }

    Request reading(HttpServletRequest request, HttpServletResponse response) {
      this.request = request;
      this.response = response;
      String uri = request.getRequestURI();
      String context = request.getContextPath();
      this.rawPath = context.isEmpty() ? uri : uri.substring(context.length());
      this.path = null;
      return this;
    }

    /** Lets go of the request, which must not outlive its exchange in a thread's reader. */
    void done() {
      request = null;
      response = null;
      path = null;
    }

    private HttpServletRequest request() {
      return Objects.requireNonNull(request, "read outside a request");
    }

    @Override
    public void rateLimitHeaders(String policy, String rateLimit) {
      HttpServletResponse answer = Objects.requireNonNull(response, "read outside a request");
      answer.setHeader("RateLimit-Policy", policy);
      answer.setHeader("RateLimit", rateLimit);
    }

    @Override
    public String method() {
      return request().getMethod();
    }

    @Override
    public String rawPath() {
      return rawPath;
    }

    @Override
    public PathContainer path() {
      PathContainer parsed = path;
      if (parsed == null) {
        parsed =
            RequestPath.parse(request().getRequestURI(), request().getContextPath())
                .pathWithinApplication();
        path = parsed;
      }
      return parsed;
    }

    @Override
    public @Nullable String peer() {
      return request().getRemoteAddr();
    }

    @Override
    public @Nullable String header(String name) {
      return request().getHeader(name);
    }

    @Override
    public @Nullable String joinedHeader(String name) {
      Enumeration<String> values = request().getHeaders(name);
      if (values == null || !values.hasMoreElements()) {
        return null;
      }
      String first = values.nextElement();
      if (!values.hasMoreElements()) {
        return first;
      }
      StringBuilder joined = new StringBuilder(first);
      while (values.hasMoreElements()) {
        joined.append(',').append(values.nextElement());
      }
      return joined.toString();
    }

    @Override
    public @Nullable String principal() {
      Principal principal = request().getUserPrincipal();
      return principal == null ? null : principal.getName();
    }
  }
}
