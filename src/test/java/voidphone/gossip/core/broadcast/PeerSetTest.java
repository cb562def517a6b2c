package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;

/** The flat peer set behind the eager and lazy links: a set, in insertion order. */
class PeerSetTest {
  private final PeerSet set = new PeerSet();

  @Test
  void findsAnEqualIdThatIsAnotherInstance() {
    NodeId a = node(1);
    set.add(a);
    NodeId copy = new NodeId(a.w0(), a.w1(), a.w2(), a.w3());
    assertThat(copy).isNotSameAs(a);
    assertThat(set.contains(copy)).isTrue();
    assertThat(set.remove(copy)).isTrue();
    assertThat(set).isEmpty();
  }

  @Test
  void addingAPresentPeerChangesNeitherSizeNorOrder() {
    set.add(node(1));
    set.add(node(2));
    assertThat(set.add(node(1))).isFalse();
    assertThat(set).containsExactly(node(1), node(2));
  }

  @Test
  void removalKeepsTheOthersInOrderAndAReAddGoesLast() {
    for (int i = 1; i <= 4; i++) set.add(node(i));
    set.remove(node(2));
    set.add(node(2));
    assertThat(set).containsExactly(node(1), node(3), node(4), node(2));
  }

  @Test
  void growsPastItsInitialArraysWithoutLosingPeers() {
    for (int i = 1; i <= 100; i++) set.add(node(i));
    assertThat(set).hasSize(100);
    for (int i = 1; i <= 100; i++) assertThat(set.contains(node(i))).isTrue();
    assertThat(set.get(99)).isEqualTo(node(100));
  }

  @Test
  void removingAnAbsentPeerReportsFalse() {
    set.add(node(1));
    assertThat(set.remove(node(2))).isFalse();
    assertThat(set).containsExactly(node(1));
  }
}
