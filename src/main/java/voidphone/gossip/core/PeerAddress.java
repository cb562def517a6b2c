package voidphone.gossip.core;

/**
 * Where a peer listens for other peers: its advertised {@code p2p_address}. The host is a literal
 * IPv4 or IPv6 address or a host name, exactly as the peer advertised it; the core only stores and
 * passes addresses on, the runtime resolves them.
 */
public record PeerAddress(String host, int port) {
  /** Longest host the wire format carries (a DNS name is at most 253 characters). */
  public static final int MAX_HOST_LENGTH = 255;

  public PeerAddress {
    if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
      throw new IllegalArgumentException("host must have 1.." + MAX_HOST_LENGTH + " characters");
    }
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /** {@code host:port}, with IPv6 literals in brackets. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
