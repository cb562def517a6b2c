package voidphone.gossip.link;

import java.net.InetSocketAddress;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.PeerAddress;

/**
 * What is known of an established link.
 *
 * @param peer the identity proven in the TLS handshake
 * @param listenAddress where the peer accepts links (from its HELLO; a wildcard host replaced by the
 *     address it connected from)
 * @param remote the socket address of the other end of this connection
 * @param dialled the address this node dialled to open the link, null for a link the peer opened
 */
public record LinkInfo(NodeId peer, PeerAddress listenAddress, InetSocketAddress remote, PeerAddress dialled) {
  @Override
  public String toString() {
    return peer.shortHex() + "@" + listenAddress;
  }
}
