package voidphone.gossip.client;

/** Where a {@link GossipClient}'s connection to the node's API stands. */
public enum ConnectionState {
  /** Connected; every subscription has been sent on this connection (NOTIFY has no reply). */
  CONNECTED,
  /** The connection was lost; the client is trying again with backoff (if reconnecting is on). */
  DISCONNECTED,
  /** For good: {@link GossipClient#close()} was called, or the connection was lost with reconnecting off. */
  CLOSED
}
