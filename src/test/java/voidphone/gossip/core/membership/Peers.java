package voidphone.gossip.core.membership;

import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;

/** Test peers: peer {@code n} has id (n, 0, 0, 0) and lives alone in 10.(n/256).(n%256).0/24. */
final class Peers {
  private Peers() {}

  static Peer peer(int n) {
    return new Peer(id(n), new PeerAddress("10." + (n / 256) + "." + (n % 256) + ".1", 7000));
  }

  static NodeId id(int n) {
    return new NodeId(n, 0, 0, 0);
  }

  /** Peer {@code n} advertising {@code host}. */
  static Peer peerAt(int n, String host) {
    return new Peer(id(n), new PeerAddress(host, 7000));
  }
}
