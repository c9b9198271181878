package dev.resilience.benchmarks.inbound;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;

/**
 * A servlet request that a benchmark reuses for every call: a method, a URI, one header whose value
 * the benchmark changes between calls, and a few attributes in arrays. Nothing it answers
 * allocates, unlike Spring's {@code MockHttpServletRequest} (whose case-insensitive header map
 * lower-cases every name looked up), so that a benchmark measures the filter and not its harness.
 * What a filter on the measured path never reads throws {@link UnsupportedOperationException}.
 */
public final class ReusableRequest implements HttpServletRequest {

  private static final int MAX_ATTRIBUTES = 8;

  private final String method;
  private final String uri;
  private final String headerName;
  private String headerValue;
  private final String[] attributeNames = new String[MAX_ATTRIBUTES];
  private final Object[] attributeValues = new Object[MAX_ATTRIBUTES];
  private int attributes;

  /** A request for {@code method} and {@code uri} (no context path, no query) carrying header. */
  public ReusableRequest(String method, String uri, String headerName) {
    this.method = method;
    this.uri = uri;
    this.headerName = headerName;
  }

  /** Sets the value of the one header this request carries; null removes it. */
  public void header(String value) {
    headerValue = value;
  }

  /** The number of attributes set: a filter that cleans up after itself leaves it unchanged. */
  public int attributeCount() {
    return attributes;
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public String getRequestURI() {
    return uri;
  }

  @Override
  public String getContextPath() {
    return "";
  }

  @Override
  public String getServletPath() {
    return uri;
  }

  @Override
  public String getPathInfo() {
    return null;
  }

  @Override
  public String getQueryString() {
    return null;
  }

  @Override
  public String getHeader(String name) {
    return headerName.equalsIgnoreCase(name) ? headerValue : null;
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String value = getHeader(name);
    return value == null
        ? Collections.emptyEnumeration()
        : Collections.enumeration(Collections.singletonList(value));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    return headerValue == null
        ? Collections.emptyEnumeration()
        : Collections.enumeration(Collections.singletonList(headerName));
  }

  @Override
  public String getRemoteAddr() {
    return "127.0.0.1";
  }

  @Override
  public Principal getUserPrincipal() {
    return null;
  }

  @Override
  public DispatcherType getDispatcherType() {
    return DispatcherType.REQUEST;
  }

  @Override
  public Object getAttribute(String name) {
    int at = indexOf(name);
    return at < 0 ? null : attributeValues[at];
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (value == null) {
      removeAttribute(name);
      return;
    }
    int at = indexOf(name);
    if (at < 0) {
      if (attributes == MAX_ATTRIBUTES) {
        throw new IllegalStateException("more than " + MAX_ATTRIBUTES + " attributes");
      }
      at = attributes++;
      attributeNames[at] = name;
    }
    attributeValues[at] = value;
  }

  @Override
  public void removeAttribute(String name) {
    int at = indexOf(name);
    if (at >= 0) {
      attributes--;
      attributeNames[at] = attributeNames[attributes];
      attributeValues[at] = attributeValues[attributes];
      attributeNames[attributes] = null;
      attributeValues[attributes] = null;
    }
  }

  private int indexOf(String name) {
    for (int i = 0; i < attributes; i++) {
      if (attributeNames[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return Collections.enumeration(Arrays.asList(attributeNames).subList(0, attributes));
  }

  @Override
  public boolean isAsyncStarted() {
    return false;
  }

  @Override
  public boolean isAsyncSupported() {
    return false;
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public String getScheme() {
    return "http";
  }

  @Override
  public boolean isSecure() {
    return false;
  }

  // Nothing below is read on the measured path.

  @Override
  public String getAuthType() {
    throw unsupported();
  }

  @Override
  public Cookie[] getCookies() {
    throw unsupported();
  }

  @Override
  public long getDateHeader(String name) {
    throw unsupported();
  }

  @Override
  public int getIntHeader(String name) {
    throw unsupported();
  }

  @Override
  public String getPathTranslated() {
    throw unsupported();
  }

  @Override
  public String getRemoteUser() {
    throw unsupported();
  }

  @Override
  public boolean isUserInRole(String role) {
    throw unsupported();
  }

  @Override
  public String getRequestedSessionId() {
    throw unsupported();
  }

  @Override
  public StringBuffer getRequestURL() {
    throw unsupported();
  }

  @Override
  public HttpSession getSession(boolean create) {
    throw unsupported();
  }

  @Override
  public HttpSession getSession() {
    throw unsupported();
  }

  @Override
  public String changeSessionId() {
    throw unsupported();
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    throw unsupported();
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    throw unsupported();
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    throw unsupported();
  }

  @Override
  public boolean authenticate(HttpServletResponse response) {
    throw unsupported();
  }

  @Override
  public void login(String username, String password) {
    throw unsupported();
  }

  @Override
  public void logout() {
    throw unsupported();
  }

  @Override
  public Collection<Part> getParts() {
    throw unsupported();
  }

  @Override
  public Part getPart(String name) {
    throw unsupported();
  }

  @Override
  public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
    throw unsupported();
  }

  @Override
  public String getCharacterEncoding() {
    throw unsupported();
  }

  @Override
  public void setCharacterEncoding(String encoding) {
    throw unsupported();
  }

  @Override
  public int getContentLength() {
    throw unsupported();
  }

  @Override
  public long getContentLengthLong() {
    throw unsupported();
  }

  @Override
  public String getContentType() {
    throw unsupported();
  }

  @Override
  public ServletInputStream getInputStream() {
    throw unsupported();
  }

  @Override
  public String getParameter(String name) {
    throw unsupported();
  }

  @Override
  public Enumeration<String> getParameterNames() {
    throw unsupported();
  }

  @Override
  public String[] getParameterValues(String name) {
    throw unsupported();
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    throw unsupported();
  }

  @Override
  public String getServerName() {
    throw unsupported();
  }

  @Override
  public int getServerPort() {
    throw unsupported();
  }

  @Override
  public BufferedReader getReader() {
    throw unsupported();
  }

  @Override
  public String getRemoteHost() {
    throw unsupported();
  }

  @Override
  public Locale getLocale() {
    throw unsupported();
  }

  @Override
  public Enumeration<Locale> getLocales() {
    throw unsupported();
  }

  @Override
  public RequestDispatcher getRequestDispatcher(String path) {
    throw unsupported();
  }

  @Override
  public int getRemotePort() {
    throw unsupported();
  }

  @Override
  public String getLocalName() {
    throw unsupported();
  }

  @Override
  public String getLocalAddr() {
    throw unsupported();
  }

  @Override
  public int getLocalPort() {
    throw unsupported();
  }

  @Override
  public ServletContext getServletContext() {
    throw unsupported();
  }

  @Override
  public AsyncContext startAsync() {
    throw unsupported();
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    throw unsupported();
  }

  @Override
  public AsyncContext getAsyncContext() {
    throw unsupported();
  }

  @Override
  public String getRequestId() {
    throw unsupported();
  }

  @Override
  public String getProtocolRequestId() {
    throw unsupported();
  }

  @Override
  public ServletConnection getServletConnection() {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("not read by the benchmarked filter");
  }
}
