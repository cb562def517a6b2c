package voidphone.gossip.api;

/**
 * The P2P layer as the API sees it: where a local module's ANNOUNCE goes. Called on the node's
 * event-loop thread, once per ANNOUNCE, before any local subscriber is notified; the node spreads
 * its own items at once, without local validation (spec section 3), unless it asks the ANNOUNCE to
 * {@linkplain #admissionDelayMillis wait}.
 */
@FunctionalInterface
public interface Spreader {
  /** A node without peers: announced items reach only the node's own subscribers. */
  Spreader LONE_NODE = (ttl, dataType, data) -> {};

  /**
   * Spreads a new item. {@code data} is the hub's own copy and is never modified afterwards.
   *
   * @param ttl maximum hops, 0 = unlimited (u8)
   * @param dataType the module-defined data type (u16)
   * @param data the item, 1..65527 bytes
   */
  void spread(int ttl, int dataType, byte[] data);

  /**
   * How long the next ANNOUNCE should wait before it is {@linkplain #spread spread}, 0 for not at
   * all: the P2P layer's way to slow local announcers to the rate the network can carry. The hub
   * then holds the ANNOUNCE, and those behind it on its connection, and stops reading that
   * connection while they hold more than {@code ApiHub.HELD_BYTES} of data.
   */
  default long admissionDelayMillis() {
    return 0;
  }
}
