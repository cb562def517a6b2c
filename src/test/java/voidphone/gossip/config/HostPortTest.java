package voidphone.gossip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      131.159.15.61:6001     | 131.159.15.61 | 6001
      127.0.0.1:0            | 127.0.0.1     | 0
      [::1]:7001             | ::1           | 7001
      [2001:db8::5]:65535    | 2001:db8::5   | 65535
      [::ffff:10.0.0.1]:9    | ::ffff:10.0.0.1 | 9
      p2psec.example.org:6001 | p2psec.example.org | 6001
      localhost:1            | localhost     | 1
      node-7:80              | node-7        | 80
      """)
  void acceptedFormsKeepHostAndPort(String text, String host, int port) {
    assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
  }

  @Test
  void ipv6IsWrittenBackInBrackets() {
    assertThat(HostPort.parse("[::1]:7001")).hasToString("[::1]:7001");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      localhost           | the port is missing
      :6001               | the host is missing
      ::1:6001            | without brackets
      [::1]6001           | is not [IPv6 address]:port
      [example.org]:1     | which is not an IPv6 address
      1.2.3.4:65536       | not a number in 0..65535
      1.2.3.4:-1          | not a number in 0..65535
      1.2.3.4:http        | not a number in 0..65535
      1.2.3.4:            | not a number in 0..65535
      1.2.3.256:5         | neither an IP address nor a host name
      1.2.3:5             | neither an IP address nor a host name
      ho st:5             | neither an IP address nor a host name
      -bad.example:5      | neither an IP address nor a host name
      a..b:5              | neither an IP address nor a host name
      """)
  void malformedAddressIsRejectedSayingWhy(String text, String problem) {
    assertThatThrownBy(() -> HostPort.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"")
        .hasMessageContaining(problem);
  }

  @Test
  void overlongHostNameIsRejected() {
    String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63);
    assertThatThrownBy(() -> HostPort.parse(name + ":1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither an IP address nor a host name");
  }

  @Test
  void valueFarTooLongIsRejectedWithoutQuotingItWhole() {
    String text = "x".repeat(10_000) + ":1";
    assertThatThrownBy(() -> HostPort.parse(text))
        .hasMessageContaining("too long")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(100));
  }
}
