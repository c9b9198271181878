package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals, CIDR blocks and X-Forwarded-For, read without DNS. */
class AddressesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "::",
        "::1",
        "0:0:0:0:0:0:0:1",
        "fd00::1",
        "2001:db8::8a2e:370:7334",
        "2001:db8:0:0:1::",
        "fe80::1%eth0",
        "[::1]",
        "::ffff:192.168.1.1"
      })
  void aLiteralReadsAsTheJdkReadsIt(String literal) throws Exception {
    String plain = literal.replaceAll("%.*$", "").replace("[", "").replace("]", "");
    byte[] expected = InetAddress.getByName(plain).getAddress(); // literals only: no look-up

    assertThat(IpAddresses.parse(literal)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "example.com",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.-4",
        "1..2.3",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "12345::",
        "g::1",
        ":1::",
        "1:",
        "[::1",
        "::1.2.3"
      })
  void somethingElseIsNotAnAddress(String text) {
    assertThat(IpAddresses.parse(text)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "127.0.0.1/32, 127.0.0.1, true",
    "127.0.0.1, 127.0.0.2, false",
    "192.168.4.0/22, 192.168.7.255, true",
    "192.168.4.0/22, 192.168.8.0, false",
    "0.0.0.0/0, 8.8.8.8, true",
    "0.0.0.0/0, ::1, false",
    "10.0.0.0/8, ::ffff:10.1.2.3, true",
    "::ffff:10.0.0.0/104, 10.9.9.9, true",
    "fd00::/8, fdab::1, true",
    "fd00::/8, fe00::1, false",
    "::1/128, ::1, true",
    "::1, 0:0:0:0:0:0:0:1, true",
    "2001:db8::/33, 2001:db8:7fff::1, true",
    "2001:db8::/33, 2001:db8:8000::1, false"
  })
  void aBlockHoldsTheAddressesUnderItsPrefix(String block, String address, boolean inside) {
    assertThat(Cidr.parse(block).contains(IpAddresses.parse(address))).isEqualTo(inside);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "10.0.0.0/-1 | the prefix length '-1' is not a whole number from 0 to 32",
        "10.0.0.0/ | the prefix length '' is not a whole number from 0 to 32",
        "::/129 | the prefix length '129' is not a whole number from 0 to 128",
        "10.0.0.0/8x | the prefix length '8x' is not a whole number from 0 to 32",
        "[::1]/128 | '[::1]' is not an IPv4 or IPv6 address (host names are not looked up)"
      })
  void aBadBlockIsRefusedSayingWhy(String block, String message) {
    assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(block)).withMessage(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "1.1.1.1 | 1 | 1.1.1.1",
        "1.1.1.1, 2.2.2.2 | 1 | 2.2.2.2",
        "1.1.1.1, 2.2.2.2 | 2 | 1.1.1.1",
        "1.1.1.1, 2.2.2.2 | 3 | 1.1.1.1",
        "spoofed, 1.1.1.1,2.2.2.2 | 2 | 1.1.1.1",
        " 1.1.1.1 ,, 2.2.2.2 , | 1 | 2.2.2.2",
        " , | 1 | null",
      })
  void theClientIsTheNthAddressFromTheRightAndNeverFurtherLeft(
      String forwarded, int hops, String client) {
    assertThat(InboundLimiter.nthFromRight(forwarded, hops)).isEqualTo(client);
  }
}
