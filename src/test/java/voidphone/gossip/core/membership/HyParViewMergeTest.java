package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peer;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;
import voidphone.gossip.core.membership.MembershipMessage.ForwardJoin;
import voidphone.gossip.core.membership.MembershipMessage.MergeProbe;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;

/** Merge probes: how a node finds the other part of a split overlay, and how it is found. */
class HyParViewMergeTest {
  private static final MembershipConfig CONFIG = MembershipConfig.withDegree(4);
  private static final long MIN = CONFIG.mergeProbeMinMillis();
  private static final long MAX = CONFIG.mergeProbeMaxMillis();

  private static MergeProbe probeNaming(int... neighbors) {
    List<NodeId> ids = java.util.Arrays.stream(neighbors).mapToObj(Peers::id).toList();
    return new MergeProbe(peer(9).address(), null, ids, List.of());
  }

  private static MergeProbe probeHandingOver(int handover, int... neighbors) {
    List<NodeId> ids = java.util.Arrays.stream(neighbors).mapToObj(Peers::id).toList();
    return new MergeProbe(peer(9).address(), peer(handover), ids, List.of());
  }

  /** Peer 5 is remembered as unreachable: a refill request to it found no link. */
  private static Fixture withUnreachable5() {
    Fixture f = Fixture.small().withNeighbors(1, 2).withPassive(5);
    f.node.linkDown(id(2), f.now()); // refill asks 5 ...
    f.node.dialFailed(id(5), f.now()); // ... and the dial fails
    f.io.clear();
    return f;
  }

  // ------------------------------------------------------------ the receiver's side

  @Test
  void probeNamingOneOfOurNeighborsIsRefusedAndEvictsNobody() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(9, probeNaming(50, 2));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new NeighborReply(false));
    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(2), id(3), id(4));
    assertThat(f.io.messages(Disconnect.class)).isEmpty();
  }

  @Test
  void probeNamingUsIsRefused() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(9, probeNaming(0));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new NeighborReply(false));
  }

  @Test
  void refusedProberIsRememberedAsPassiveAndItsLinkClosed() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(9, probeNaming(3));

    assertThat(f.passiveIds()).contains(id(9));
    assertThat(f.io.outputs).contains(new RecordingIo.Disconnected(id(9)));
  }

  @Test
  void probeSharingNoNeighborIsAcceptedByAFullViewEvictingOne() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(9, probeNaming(50, 51));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new NeighborReply(true));
    assertThat(f.activeIds()).hasSize(4).contains(id(9));
    assertThat(f.io.messages(Disconnect.class)).containsExactly(new Disconnect(false));
  }

  @Test
  void probeNamingAnItemWeHaveSeenIsRefused() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);
    f.io.seen.add(new ItemId(7));

    f.receive(9, new MergeProbe(peer(9).address(), null, List.of(id(50)), List.of(new ItemId(7))));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new NeighborReply(false));
  }

  @Test
  void probeNamingOnlyItemsWeHaveNotSeenIsAccepted() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);
    f.io.seen.add(new ItemId(7));

    f.receive(9, new MergeProbe(peer(9).address(), null, List.of(id(50)), List.of(new ItemId(8))));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new NeighborReply(true));
  }

  @Test
  void fullReceiverIntroducesTheNeighborItDropsToTheProbersHandover() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(9, probeHandingOver(70, 50));

    List<NodeId> dropped = f.io.recipients(Disconnect.class);
    assertThat(dropped).hasSize(1);
    assertThat(f.io.messagesTo(dropped.getFirst()))
        .containsExactly(new ForwardJoin(peer(70), 0), new Disconnect(false));
  }

  @Test
  void receiverWithRoomAcceptsAProbeWithoutDroppingAnyone() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(9, probeHandingOver(70, 50));

    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(2), id(9));
    assertThat(f.io.messages(Disconnect.class)).isEmpty();
    assertThat(f.io.messages(ForwardJoin.class)).isEmpty();
  }

  @Test
  void probeWhoseHandoverIsOurNeighborIsRefused() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(9, probeHandingOver(3, 50));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new NeighborReply(false));
  }

  @Test
  void probeFromANeighborIsAnsweredAcceptedAgain() {
    Fixture f = Fixture.small().withNeighbors(1, 9);

    f.receive(9, probeNaming(1));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new NeighborReply(true));
    assertThat(f.activeIds()).contains(id(9));
  }

  // ------------------------------------------------------------ remembering unreachable peers

  @Test
  void peerWhoseRequestFoundNoLinkLeavesThePassiveViewForTheUnreachableList() {
    Fixture f = withUnreachable5();

    assertThat(f.passiveIds()).doesNotContain(id(5));
    assertThat(f.node.unreachablePeers()).containsExactly(peer(5));
  }

  @Test
  void peerWhoseLinkBrokeWhileARequestWasOutIsNotRememberedAsUnreachable() {
    Fixture f = Fixture.small().withNeighbors(1, 2).withPassive(5);
    f.node.linkDown(id(2), f.now()); // refill asks 5 over a link that is up ...

    f.node.linkDown(id(5), f.now()); // ... and that link breaks: 5 was reachable a moment ago

    assertThat(f.node.unreachablePeers()).isEmpty();
    assertThat(f.passiveIds()).doesNotContain(id(5));
  }

  @Test
  void peerWhoseRequestTimedOutIsRememberedAsUnreachable() {
    Fixture f = Fixture.small().withNeighbors(1, 2).withPassive(5);
    f.node.linkDown(id(2), f.now());
    MembershipTimer.NeighborTimeout timeout = f.io.timers(MembershipTimer.NeighborTimeout.class).getFirst();

    f.fire(timeout);

    assertThat(f.node.unreachablePeers()).containsExactly(peer(5));
  }

  @Test
  void messageFromAnUnreachablePeerTakesItOffTheList() {
    Fixture f = withUnreachable5();

    f.receive(5, new Neighbor(peer(5).address(), false));

    assertThat(f.node.unreachablePeers()).isEmpty();
  }

  @Test
  void unreachablePeerIsForgottenAfterTheRetention() {
    Fixture f = withUnreachable5();

    f.advance(CONFIG.unreachableRetentionMillis());
    f.fireMergeProbe();

    assertThat(f.node.unreachablePeers()).isEmpty();
  }

  // ------------------------------------------------------------ the prober's side

  @Test
  void dueProbeGoesToAnUnreachablePeerFirst() {
    Fixture f = withUnreachable5();
    f.io.clear();

    f.fireMergeProbe();

    assertThat(f.io.recipients(MergeProbe.class)).containsExactly(id(5));
  }

  @Test
  void dueProbeWithNothingUnreachableGoesToAPassivePeer() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);

    f.fireMergeProbe();

    assertThat(f.io.recipients(MergeProbe.class)).containsExactly(id(7));
  }

  @Test
  void probeCarriesOurNeighborsAndAddress() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);

    f.fireMergeProbe();

    MergeProbe sent = f.io.messages(MergeProbe.class).getFirst();
    assertThat(sent.address()).isEqualTo(f.self.address());
    assertThat(sent.neighbors()).containsExactlyInAnyOrder(id(1), id(2), id(3), id(4));
  }

  @Test
  void probeToAPassivePeerNamesTheItemsWeReceivedLately() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);
    f.io.recent = List.of(new ItemId(5));

    f.fireMergeProbe();

    assertThat(f.io.messages(MergeProbe.class).getFirst().recentItems()).containsExactly(new ItemId(5));
  }

  @Test
  void probeToAPeerThatWasUnreachableNamesNoItem() {
    Fixture f = withUnreachable5();
    f.io.recent = List.of(new ItemId(5));

    f.fireMergeProbe();

    // it has seen what we saw before the cut: evidence would keep a healed partition apart
    assertThat(f.io.messages(MergeProbe.class).getFirst().recentItems()).isEmpty();
  }

  @Test
  void probeCarriesAtMost32Neighbors() {
    Fixture f = new Fixture(MembershipConfig.withDegree(40).withMaxPeersPerSubnet(0));
    int[] many = java.util.stream.IntStream.rangeClosed(1, 40).toArray();
    f.withNeighbors(many).withPassive(100);

    f.fireMergeProbe();

    assertThat(f.io.messages(MergeProbe.class).getFirst().neighbors()).hasSize(MembershipMessage.MAX_ENTRIES);
  }

  @Test
  void fullProberOffersOneOfItsNeighborsAsHandover() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);

    f.fireMergeProbe();

    assertThat(f.io.messages(MergeProbe.class).getFirst().handover()).isIn(peer(1), peer(2), peer(3), peer(4));
  }

  @Test
  void proberWithRoomOffersNoHandover() {
    Fixture f = Fixture.small().withNeighbors(1, 2).withPassive(7);

    f.fireMergeProbe();

    assertThat(f.io.messages(MergeProbe.class).getFirst().handover()).isNull();
  }

  @Test
  void acceptedProbeReplacesTheNeighborOfferedAsHandover() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);
    f.fireMergeProbe();
    NodeId handover = f.io.messages(MergeProbe.class).getFirst().handover().id();
    f.io.clear();

    f.receive(7, new NeighborReply(true));

    assertThat(f.activeIds()).hasSize(4).contains(id(7)).doesNotContain(handover);
    assertThat(f.io.recipients(Disconnect.class)).containsExactly(handover);
  }

  @Test
  void refusedProbeLeavesTheViewAsItWas() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);
    f.fireMergeProbe();

    f.receive(7, new NeighborReply(false));

    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(2), id(3), id(4));
    assertThat(f.io.outputs).contains(new RecordingIo.Disconnected(id(7)));
  }

  @Test
  void onlyOneProbeIsOutAtATime() {
    Fixture f = withUnreachable5();
    f.node.linkDown(id(1), f.now()); // a second neighbour lost: 1 is passive now, 5 still unreachable
    f.withNeighbors(3).withPassive(7, 8);
    f.fireMergeProbe();
    f.io.clear();

    f.fireMergeProbe();

    assertThat(f.io.messages(MergeProbe.class)).isEmpty();
  }

  @Test
  void nodeWithoutNeighborsDoesNotProbe() {
    Fixture f = Fixture.small().withNeighbors(1).withPassive(7);
    f.receive(1, new Disconnect(true));
    f.io.clear();

    f.fireMergeProbe();

    assertThat(f.io.messages(MergeProbe.class)).isEmpty();
  }

  // ------------------------------------------------------------ when

  @Test
  void firstProbeIsDueWithinTheLongWaitOfTheStart() {
    Fixture f = Fixture.small().withNeighbors(1);

    assertThat(f.io.lastMergeProbe.delayMillis()).isBetween(1L, MAX);
  }

  @Test
  void withNothingUnreachableTheNextProbeComesAfterTheLongWait() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);

    f.fireMergeProbe();

    assertThat(f.io.lastMergeProbe.delayMillis()).isBetween(MAX / 2, 3 * MAX / 2);
  }

  @Test
  void whileUnreachablePeersAreRememberedProbesComeAfterTheShortWait() {
    Fixture f = withUnreachable5();

    f.fireMergeProbe();

    assertThat(f.io.lastMergeProbe.delayMillis()).isBetween(MIN / 2, 3 * MIN / 2);
  }

  @Test
  void brokenNeighborLinkBringsTheNextProbeForward() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);
    f.fireMergeProbe(); // the next one is a long wait away
    f.io.clear();

    f.node.linkDown(id(3), f.now());

    assertThat(f.io.lastMergeProbe.delayMillis()).isBetween(MIN / 2, 3 * MIN / 2);
  }

  @Test
  void twoShufflesInARowThatEndAtNeighborsBringTheNextProbeForward() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);
    f.fireMergeProbe();
    f.startShuffle();
    f.receiveShuffleReply(2, List.of(peer(8)));
    f.startShuffle();

    f.receiveShuffleReply(3, List.of(peer(8)));

    assertThat(f.io.lastMergeProbe.delayMillis()).isBetween(MIN / 2, 3 * MIN / 2);
  }

  @Test
  void oneShuffleThatEndsAtANeighborLeavesTheNextProbeWhereItWas() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);
    f.fireMergeProbe();
    RecordingIo.Scheduled due = f.io.lastMergeProbe;
    f.startShuffle();
    f.receiveShuffleReply(60, List.of(peer(8))); // far away
    f.startShuffle();

    f.receiveShuffleReply(2, List.of(peer(8)));

    assertThat(f.io.lastMergeProbe).isSameAs(due);
  }

  @Test
  void probeTimerReplacedByAnEarlierOneIsIgnored() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7, 8);
    f.fireMergeProbe();
    MembershipTimer stale = f.io.lastMergeProbe.timer();
    f.receive(7, new NeighborReply(false)); // the probe was answered
    f.node.linkDown(id(3), f.now()); // reschedules
    f.io.clear();

    f.fire(stale);

    assertThat(f.io.messages(MergeProbe.class)).isEmpty();
  }

  @Test
  void unreachableListKeepsAtMostItsCapacityOldestOut() {
    UnreachablePeers list = new UnreachablePeers(3, 1_000);
    for (int n = 1; n <= 4; n++) {
      list.add(peer(n), 0);
    }

    assertThat(list.peers()).containsExactly(peer(2), peer(3), peer(4));
  }

  @Test
  void unreachablePeerFoundUnreachableAgainKeepsItsFirstTime() {
    UnreachablePeers list = new UnreachablePeers(3, 1_000);
    list.add(peer(1), 0);
    list.add(peer(1), 900);

    assertThat(list.isEmpty(1_000)).isTrue();
  }

  @Test
  void unreachablePeersAreTriedInTurn() {
    UnreachablePeers list = new UnreachablePeers(3, 1_000);
    for (int n = 1; n <= 3; n++) {
      list.add(peer(n), 0);
    }

    List<Object> order = java.util.stream.Stream.generate(() -> (Object) list.next(0, id -> false)).limit(4).toList();

    assertThat(order).containsExactly(peer(1), peer(2), peer(3), peer(1));
  }
}
