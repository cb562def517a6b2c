package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peer;
import static voidphone.gossip.core.membership.Peers.peerAt;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;

class HyParViewSubnetBoundTest {

  /** Degree 8 with at most 2 entries per address group. */
  private static Fixture bounded() {
    return new Fixture(MembershipConfig.withDegree(8).withMaxPeersPerSubnet(2));
  }

  @Test
  void passiveViewTakesAtMostTheBoundFromOneSlash24() {
    Fixture f = bounded().withNeighbors(1);
    f.startShuffle();

    f.receiveShuffleReply(
        50,
        List.of(peerAt(30, "192.0.2.1"), peerAt(31, "192.0.2.77"), peerAt(32, "192.0.2.200"),
            peerAt(33, "192.0.3.1")));

    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31), id(33));
  }

  @Test
  void passiveViewTakesAtMostTheBoundFromOneIpv6Slash64() {
    Fixture f = bounded().withNeighbors(1);
    f.startShuffle();

    f.receiveShuffleReply(
        50,
        List.of(peerAt(30, "2001:db8::1"), peerAt(31, "2001:db8::2"),
            peerAt(32, "2001:db8:0:0:ffff::3"), peerAt(33, "2001:db8:0:1::1")));

    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31), id(33));
  }

  @Test
  void passiveViewTakesAtMostTheBoundFromOneHostName() {
    Fixture f = bounded().withNeighbors(1);
    f.startShuffle();

    f.receiveShuffleReply(
        50,
        List.of(peerAt(30, "peers.example.org"), peerAt(31, "PEERS.example.org"),
            peerAt(32, "peers.example.org"), peerAt(33, "other.example.org")));

    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31), id(33));
  }

  @Test
  void neighborRequestFromAFullAddressGroupIsRefusedEvenWithHighPriority() {
    Fixture f = bounded();
    f.receive(peerAt(1, "192.0.2.1"), new Neighbor(new voidphone.gossip.core.PeerAddress("192.0.2.1", 7000), true));
    f.receive(peerAt(2, "192.0.2.2"), new Neighbor(new voidphone.gossip.core.PeerAddress("192.0.2.2", 7000), true));
    f.io.clear();

    Peer third = peerAt(3, "192.0.2.3");
    f.receive(third, new Neighbor(third.address(), true));

    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(2));
    assertThat(f.io.messagesTo(id(3))).containsExactly(new NeighborReply(false));
  }

  @Test
  void joinFromAFullAddressGroupIsForwardedButNotKept() {
    Fixture f = bounded().withNeighbors(1);
    for (int n = 2; n <= 3; n++) {
      Peer p = peerAt(n, "192.0.2." + n);
      f.receive(p, new Neighbor(p.address(), true));
    }
    f.io.clear();

    Peer joiner = peerAt(4, "192.0.2.4");
    f.receive(joiner, new Join(joiner.address()));

    assertThat(f.activeIds()).doesNotContain(id(4));
    assertThat(f.io.messagesTo(id(4))).containsExactly(new NeighborReply(false));
    assertThat(f.io.messagesTo(id(1))).containsExactly(new MembershipMessage.ForwardJoin(joiner, 6));
  }

  @Test
  void peersWhoseLinksComeFromOneAddressAreBoundedWhateverTheyAdvertise() {
    Fixture f = bounded();
    for (int n = 1; n <= 6; n++) {
      Peer p = peerAt(n, "198.51." + n + ".1"); // a /24 of its own, each
      f.io.observed.put(p.id(), "203.0.113.9");
      f.receive(p, new Neighbor(p.address(), true));
    }

    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(2));
  }

  @Test
  void linksFromLoopbackAreNotBoundedByTheirObservedAddress() {
    Fixture f = bounded();
    for (int n = 1; n <= 6; n++) {
      Peer p = peerAt(n, "198.51." + n + ".1");
      f.io.observed.put(p.id(), "127.0.0.1");
      f.receive(p, new Neighbor(p.address(), false));
    }

    assertThat(f.node.activeView()).hasSize(6);
  }

  @Test
  void loopbackAddressesAreNotBounded() {
    Fixture f = bounded();
    for (int n = 1; n <= 6; n++) {
      Peer p = peerAt(n, n % 2 == 0 ? "127.0.0.1" : "::1");
      f.receive(p, new Neighbor(p.address(), false));
    }

    assertThat(f.node.activeView()).hasSize(6);
  }

  @Test
  void zeroDisablesTheBound() {
    Fixture f = new Fixture(MembershipConfig.withDegree(8).withMaxPeersPerSubnet(0));
    for (int n = 1; n <= 6; n++) {
      Peer p = peerAt(n, "192.0.2." + n);
      f.receive(p, new Neighbor(p.address(), false));
    }

    assertThat(f.node.activeView()).hasSize(6);
  }

  @Test
  void boundedPeersStillCountOncePerView() {
    // two from the group may be active and two more passive: the bound is per view
    Fixture f = bounded().withNeighbors(1);
    for (int n = 2; n <= 3; n++) {
      Peer p = peerAt(n, "192.0.2." + n);
      f.receive(p, new Neighbor(p.address(), true));
    }
    f.startShuffle();

    f.receiveShuffleReply(50, List.of(peerAt(30, "192.0.2.30"), peerAt(31, "192.0.2.31"), peer(32)));

    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31), id(32));
  }
}
