package voidphone.gossip.core.membership;

import java.util.List;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.broadcast.ItemId;

/**
 * Where {@link HyParView} puts its outputs; the driver (the Netty runtime, or the simulator)
 * implements it. Calls happen on the thread that called into the core, during that call; an
 * implementation must not call back into the core from within them.
 *
 * <p>The link contract the core relies on:
 *
 * <ul>
 *   <li>There is at most one link per peer id. A link is authenticated: messages that arrive on it
 *       are from the peer it names.
 *   <li>{@link #send} uses the link to {@code to.id()}, or dials {@code to.address()} when there is
 *       none and checks in the handshake that the peer there is {@code to.id()}. Messages on a link
 *       arrive in the order they were sent.
 *   <li>A link that fails is reported once with {@link HyParView#linkDown}, including a link the
 *       peer closed; a dial that fails, with {@link HyParView#dialFailed}; a link closed by {@link
 *       #disconnect} is not reported.
 * </ul>
 */
public interface MembershipIo {
  /** Sends {@code message} to {@code to}, dialling its address if no link to it is up. */
  void send(Peer to, MembershipMessage message);

  /**
   * Answers on the link {@code to} just sent a message on; dropped if that link has gone down
   * since (its {@link HyParView#linkDown} is then on its way). Never dials: the core uses it when
   * it may not know the peer's address.
   */
  void reply(NodeId to, MembershipMessage message);

  /** Closes the link to {@code peer} once what was sent to it has been written; no-op if none. */
  void disconnect(NodeId peer);

  /** Calls {@link HyParView#onTimer} with {@code timer} after {@code delayMillis}. */
  void schedule(long delayMillis, MembershipTimer timer);

  /** {@code peer} entered the active view: gossip may use the link to it from now on. */
  void neighborUp(NodeId peer);

  /** {@code peer} left the active view. */
  void neighborDown(NodeId peer);

  /**
   * Ids of items this node received lately (at most {@link MembershipMessage#MAX_EVIDENCE}), for a
   * merge probe: a node that has seen one of them is in the same part of the overlay. Empty when
   * the driver hosts no broadcast, or nothing arrived lately.
   */
  default List<ItemId> recentItems() {
    return List.of();
  }

  /** Whether this node has seen any of the items {@code ids} (see {@link #recentItems}). */
  default boolean seenAny(List<ItemId> ids) {
    return false;
  }

  /**
   * The IP address {@code peer}'s link comes from, as the transport saw it; null when there is no
   * link, or the driver does not know. Counted by the anti-eclipse bound beside the address the
   * peer advertises, which anyone can choose.
   */
  default String observedHost(NodeId peer) {
    return null;
  }
}
