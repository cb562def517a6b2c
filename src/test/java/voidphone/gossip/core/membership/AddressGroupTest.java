package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import voidphone.gossip.core.PeerAddress;

class AddressGroupTest {

  private static int group(String host) {
    return AddressGroup.of(new PeerAddress(host, 7000));
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.2.254",
    "2001:db8::1, 2001:db8:0:0:ffff:ffff:ffff:ffff",
    "2001:DB8::1, 2001:db8::2",
    "::ffff:192.0.2.9, 192.0.2.1",
    "fe80::1%eth0, fe80::2",
    "peers.example.org, PEERS.Example.ORG"
  })
  void addressesOfOneGroupShareIt(String a, String b) {
    assertThat(group(a)).isEqualTo(group(b)).isNotEqualTo(AddressGroup.EXEMPT);
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.3.1",
    "2001:db8::1, 2001:db8:0:1::1",
    "peers.example.org, other.example.org",
    "10.0.0.1, 10.0.0.1.example.org"
  })
  void addressesOfDifferentGroupsDiffer(String a, String b) {
    assertThat(group(a)).isNotEqualTo(group(b));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.3.4", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1",
      "localhost", "LocalHost"})
  void loopbackIsExempt(String host) {
    assertThat(group(host)).isEqualTo(AddressGroup.EXEMPT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.4."})
  void malformedIpv4IsNotAnIpv4Address(String host) {
    assertThat(AddressGroup.parseIpv4(host, 0, host.length())).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "1:2", "g::1", "1:",
      "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4"})
  void malformedIpv6IsNotAnIpv6Address(String host) {
    assertThat(AddressGroup.parseIpv6(host)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "::, 0, 0",
    "1::, 0x0001000000000000, 0",
    "::2:3, 0, 0x0000000000020003",
    "1:2:3:4:5:6:7:8, 0x0001000200030004, 0x0005000600070008",
    "::ffff:1.2.3.4, 0, 0x0000ffff01020304"
  })
  void ipv6LiteralsParseToTheirBits(String host, String high, String low) {
    assertThat(AddressGroup.parseIpv6(host))
        .containsExactly(Long.decode(high), Long.decode(low));
  }
}
