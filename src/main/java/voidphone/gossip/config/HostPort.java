package voidphone.gossip.config;

/**
 * A {@code host:port} from the config file: IPv4, {@code [IPv6]:port} or a host name. Port 0 is
 * allowed for listen addresses and means "any free port" (tests and {@code gossip testnet} use it).
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  /** {@code host:port}, with IPv6 literals in brackets. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
