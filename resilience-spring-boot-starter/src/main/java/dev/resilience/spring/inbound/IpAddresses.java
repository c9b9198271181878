package dev.resilience.spring.inbound;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads IP address literals into bytes, never through DNS: {@code InetAddress.getByName} looks up
 * anything that is not a literal, and a peer address can be whatever a forwarded header said.
 */
final class IpAddresses {

  private IpAddresses() {}

  /**
   * The address's bytes: 4 for IPv4 (and for IPv4-mapped IPv6, {@code ::ffff:10.0.0.1}, so that a
   * dual-stack socket's peer matches IPv4 blocks), 16 for IPv6; null if it is not a literal.
   */
  static byte @Nullable [] parse(String text) {
    byte[] bytes = parseExact(text);
    return bytes != null && isMapped(bytes) ? mappedToV4(bytes) : bytes;
  }

  /** Like {@link #parse}, but an IPv4-mapped IPv6 address stays 16 bytes. */
  static byte @Nullable [] parseExact(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      byte[] out = new byte[4];
      return v4(text, 0, text.length(), out, 0) ? out : null;
    }
    return v6(text);
  }

  static boolean isMapped(byte[] bytes) {
    if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static byte[] mappedToV4(byte[] bytes) {
    return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
  }

  /** Four decimal parts of 0 to 255, without leading zeros (which some readers take as octal). */
  private static boolean v4(String s, int start, int end, byte[] out, int at) {
    int part = 0;
    int i = start;
    while (part < 4) {
      int j = i;
      int value = 0;
      while (j < end && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
        value = value * 10 + (s.charAt(j) - '0');
        j++;
        if (j - i > 3) {
          return false;
        }
      }
      if (j == i || value > 255 || (j - i > 1 && s.charAt(i) == '0')) {
        return false;
      }
      out[at + part++] = (byte) value;
      if (part < 4) {
        if (j >= end || s.charAt(j) != '.') {
          return false;
        }
        j++;
      } else if (j != end) {
        return false;
      }
      i = j;
    }
    return true;
  }

  private static byte @Nullable [] v6(String s) {
    int start = 0;
    int end = s.length();
    if (s.charAt(0) == '[') {
      if (s.charAt(end - 1) != ']') {
        return null;
      }
      start = 1;
      end--;
    }
    int zone = s.indexOf('%', start);
    if (zone >= 0 && zone < end) {
      end = zone; // a zone (fe80::1%eth0) names an interface, not part of the address
    }
    byte[] out = new byte[16];
    int at = 0;
    int gap = -1;
    int i = start;
    if (end - i >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
      gap = 0;
      i += 2;
    } else if (i < end && s.charAt(i) == ':') {
      return null;
    }
    while (i < end) {
      int j = i;
      int value = 0;
      int digit;
      while (j < end && (digit = Character.digit(s.charAt(j), 16)) >= 0) {
        value = value * 16 + digit;
        j++;
      }
      if (j < end && s.charAt(j) == '.') {
        if (at > 12 || !v4(s, i, end, out, at)) {
          return null;
        }
        at += 4;
        break;
      }
      if (j == i || j - i > 4 || at > 14) {
        return null;
      }
      out[at++] = (byte) (value >>> 8);
      out[at++] = (byte) value;
      if (j == end) {
        break;
      }
      if (s.charAt(j) != ':') {
        return null;
      }
      j++;
      if (j < end && s.charAt(j) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = at;
        j++;
      } else if (j == end) {
        return null;
      }
      i = j;
    }
    if (gap >= 0) {
      if (at == 16) {
        return null;
      }
      int tail = at - gap;
      System.arraycopy(out, gap, out, 16 - tail, tail);
      Arrays.fill(out, gap, 16 - tail, (byte) 0);
    } else if (at != 16) {
      return null;
    }
    return out;
  }
}
