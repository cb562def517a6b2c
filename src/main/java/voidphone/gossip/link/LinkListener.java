package voidphone.gossip.link;

import io.netty.buffer.ByteBuf;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.PeerAddress;

/**
 * What the link layer tells the node, always on the node's event loop. There is at most one
 * established link per peer: {@link #linkUp} and {@link #linkDown} alternate for each peer. Every
 * dial ends in exactly one of {@link #linkUp}, {@link #alreadyLinked} or {@link #dialFailed}.
 */
public interface LinkListener {

  /** A peer proved its identity and its proof of work; messages can flow both ways. */
  void linkUp(LinkInfo link);

  /** The link to a peer is gone (closed by either side, failed, or declared dead). */
  void linkDown(LinkInfo link, String reason);

  /**
   * A frame of {@code channel} (1 and up; channel 0 is the link's own) from an established peer. The
   * body is released by the caller after this returns: copy what must outlive the call.
   */
  void message(LinkInfo link, int channel, ByteBuf body);

  /**
   * An authenticated peer broke the link protocol (its link is being closed); the node may hold it
   * to account beyond this link.
   */
  default void violation(NodeId peer, String what) {}

  /**
   * A dial did not lead to a link (refused, timed out, wrong identity, ...): {@code failure} is the
   * kind to act on, {@code reason} the words for the log.
   */
  void dialFailed(PeerAddress address, NodeId expected, DialFailure failure, String reason);

  /**
   * A dial of {@code address} reached a peer this node already had a link to (it was there before,
   * or the peer's own dial came up first). The dial ends here instead of in {@link #linkUp}, which
   * is never reported twice for one peer: its second connection is kept as a spare. {@code link}
   * is the peer's established link, on which messages go on flowing.
   */
  void alreadyLinked(PeerAddress address, LinkInfo link);
}
