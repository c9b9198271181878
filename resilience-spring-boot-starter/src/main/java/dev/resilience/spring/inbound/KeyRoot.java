package dev.resilience.spring.inbound;

import org.jspecify.annotations.Nullable;

/**
 * What a SpEL key expression reads: {@code method}, {@code path}, {@code ip}, {@code principal}
 * (the user's name, or null) and {@code header('Name')}. {@code key: "header('X-Tenant') + ':' +
 * principal"}.
 */
final class KeyRoot {

  /** A request with every value set, to find names an expression reads that none has. */
  static final KeyRoot SAMPLE = new KeyRoot(null, null);

  private final @Nullable InboundRequest request;
  private final @Nullable String ip;

  KeyRoot(@Nullable InboundRequest request, @Nullable String ip) {
    this.request = request;
    this.ip = ip;
  }

  public String getMethod() {
    return request == null ? "GET" : request.method();
  }

  public String getPath() {
    return request == null ? "/" : request.rawPath();
  }

  public @Nullable String getIp() {
    return request == null ? "127.0.0.1" : ip;
  }

  public @Nullable String getPrincipal() {
    return request == null ? "user" : request.principal();
  }

  public @Nullable String header(String name) {
    return request == null ? "value" : request.header(name);
  }
}
