package voidphone.gossip.core;

import java.util.Objects;

/**
 * A peer as the protocol core knows it: who it is and where it says it listens. Identity and
 * address travel together because a core that tells the runtime to send to a peer it has no link
 * with must also tell it where to dial; the runtime then checks, during the TLS handshake, that the
 * peer at that address really is {@code id}.
 */
public record Peer(NodeId id, PeerAddress address) {
  public Peer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
  }

  @Override
  public String toString() {
    return id.shortHex() + "@" + address;
  }
}
