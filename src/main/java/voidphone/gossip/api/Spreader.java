package voidphone.gossip.api;

/**
 * The P2P layer as the API sees it: where a local module's ANNOUNCE goes. Called on the node's
 * event-loop thread, once per ANNOUNCE, before any local subscriber is notified; the node spreads
 * its own items at once, without local validation (spec section 3).
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
}
