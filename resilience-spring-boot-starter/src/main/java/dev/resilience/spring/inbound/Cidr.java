package dev.resilience.spring.inbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of IP addresses, {@code 10.0.0.0/8} or {@code fd00::/8}; a single address is a block of
 * one. Matched on the address's bytes, as literals only.
 */
final class Cidr {

  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Reads {@code address[/prefix]}.
   *
   * @throws IllegalArgumentException naming what is wrong and what to write instead
   */
  static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = address.startsWith("[") ? null : IpAddresses.parseExact(address);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "'" + address + "' is not an IPv4 or IPv6 address (host names are not looked up)");
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = trimmed.substring(slash + 1);
      // Digits only, at most three: "+8", " 8" and "0x8" are not prefix lengths.
      boolean digits =
          !length.isEmpty()
              && length.length() <= 3
              && length.chars().allMatch(c -> c >= '0' && c <= '9');
      prefix = digits ? Integer.parseInt(length) : -1;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "the prefix length '" + length + "' is not a whole number from 0 to " + bits);
      }
    }
    for (int bit = prefix; bit < bits; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new IllegalArgumentException(
            "'"
                + trimmed
                + "' has bits set after its prefix length, which is ambiguous; write the block's"
                + " first address, "
                + first(bytes, prefix, address)
                + "/"
                + prefix);
      }
    }
    if (IpAddresses.isMapped(bytes) && prefix >= 96) {
      // Peers are read with IPv4-mapped addresses as IPv4, so the block must be too.
      return new Cidr(IpAddresses.mappedToV4(bytes), prefix - 96, trimmed);
    }
    return new Cidr(bytes, prefix, trimmed);
  }

  /** Whether the address (bytes as {@link IpAddresses#parse} gives them) is in this block. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int whole = prefix >>> 3;
    for (int i = 0; i < whole; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix & 7;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff00 >>> rest) & 0xff;
    return (address[whole] & mask) == (network[whole] & mask);
  }

  private static String first(byte[] bytes, int prefix, String written) {
    byte[] copy = bytes.clone();
    for (int bit = prefix; bit < copy.length * 8; bit++) {
      copy[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    if (copy.length == 4) {
      return (copy[0] & 0xff)
          + "."
          + (copy[1] & 0xff)
          + "."
          + (copy[2] & 0xff)
          + "."
          + (copy[3] & 0xff);
    }
    try {
      return InetAddress.getByAddress(copy).getHostAddress(); // from bytes: no look-up
    } catch (UnknownHostException e) {
      return written;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
