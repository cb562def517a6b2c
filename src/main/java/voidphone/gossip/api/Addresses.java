package voidphone.gossip.api;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Addresses as operators read them in log lines: {@code 127.0.0.1:7001}, {@code [::1]:7001}. */
final class Addresses {
  private Addresses() {}

  static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      String host = inet.getAddress().getHostAddress();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
