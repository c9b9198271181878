package dev.resilience.benchmarks.inbound;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A servlet response that a benchmark reuses for every call: a status and a few headers in arrays,
 * emptied by {@link #clear()} in a few stores. Setting a header allocates nothing, unlike Spring's
 * {@code MockHttpServletResponse} (a case-insensitive map and a value holder per header), so that a
 * benchmark's B/op are the filter's own. What a filter on the measured path never calls throws
 * {@link UnsupportedOperationException}.
 */
public final class ReusableResponse implements HttpServletResponse {

  private static final int MAX_HEADERS = 8;

  private final String[] names = new String[MAX_HEADERS];
  private final String[] values = new String[MAX_HEADERS];
  private int headers;
  private int status = SC_OK;

  /** Forgets the status and the headers of the last call; the arrays are kept. */
  public void clear() {
    headers = 0;
    status = SC_OK;
  }

  /** The number of headers set since the last {@link #clear()}. */
  public int headerCount() {
    return headers;
  }

  @Override
  public void setHeader(String name, String value) {
    int at = indexOf(name);
    if (at < 0) {
      addHeader(name, value);
    } else {
      values[at] = value;
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (headers == MAX_HEADERS) {
      throw new IllegalStateException("more than " + MAX_HEADERS + " headers");
    }
    names[headers] = name;
    values[headers] = value;
    headers++;
  }

  @Override
  public String getHeader(String name) {
    int at = indexOf(name);
    return at < 0 ? null : values[at];
  }

  @Override
  public boolean containsHeader(String name) {
    return indexOf(name) >= 0;
  }

  @Override
  public Collection<String> getHeaders(String name) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < headers; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        found.add(values[i]);
      }
    }
    return found;
  }

  @Override
  public Collection<String> getHeaderNames() {
    return List.copyOf(Arrays.asList(names).subList(0, headers));
  }

  private int indexOf(String name) {
    for (int i = 0; i < headers; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void setStatus(int status) {
    this.status = status;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public boolean isCommitted() {
    return false;
  }

  // Nothing below is called on the measured path: the benchmarks' requests are admitted.

  @Override
  public void addCookie(Cookie cookie) {
    throw unsupported();
  }

  @Override
  public String encodeURL(String url) {
    throw unsupported();
  }

  @Override
  public String encodeRedirectURL(String url) {
    throw unsupported();
  }

  @Override
  public void sendError(int status, String message) {
    throw unsupported();
  }

  @Override
  public void sendError(int status) {
    throw unsupported();
  }

  @Override
  public void sendRedirect(String location, int status, boolean clearBuffer) {
    throw unsupported();
  }

  @Override
  public void setDateHeader(String name, long date) {
    throw unsupported();
  }

  @Override
  public void addDateHeader(String name, long date) {
    throw unsupported();
  }

  @Override
  public void setIntHeader(String name, int value) {
    throw unsupported();
  }

  @Override
  public void addIntHeader(String name, int value) {
    throw unsupported();
  }

  @Override
  public String getCharacterEncoding() {
    throw unsupported();
  }

  @Override
  public String getContentType() {
    throw unsupported();
  }

  @Override
  public ServletOutputStream getOutputStream() {
    throw unsupported();
  }

  @Override
  public PrintWriter getWriter() {
    throw unsupported();
  }

  @Override
  public void setCharacterEncoding(String encoding) {
    throw unsupported();
  }

  @Override
  public void setContentLength(int length) {
    throw unsupported();
  }

  @Override
  public void setContentLengthLong(long length) {
    throw unsupported();
  }

  @Override
  public void setContentType(String type) {
    throw unsupported();
  }

  @Override
  public void setBufferSize(int size) {
    throw unsupported();
  }

  @Override
  public int getBufferSize() {
    throw unsupported();
  }

  @Override
  public void flushBuffer() {
    throw unsupported();
  }

  @Override
  public void resetBuffer() {
    throw unsupported();
  }

  @Override
  public void reset() {
    throw unsupported();
  }

  @Override
  public void setLocale(Locale locale) {
    throw unsupported();
  }

  @Override
  public Locale getLocale() {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("not called by the benchmarked filter");
  }
}
