package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peer;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;

class HyParViewNeighborTest {

  @Test
  void highPriorityNeighborIntoAFullViewEvictsANeighborWithDisconnect() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(5, new Neighbor(peer(5).address(), true));

    assertThat(f.activeIds()).hasSize(4).contains(id(5));
    NodeId evicted =
        List.of(id(1), id(2), id(3), id(4)).stream()
            .filter(p -> !f.activeIds().contains(p))
            .findFirst()
            .orElseThrow();
    assertThat(f.io.messagesTo(evicted)).containsExactly(new Disconnect(false));
    assertThat(f.io.disconnected(evicted)).isTrue();
    assertThat(f.io.outputs).contains(new RecordingIo.Down(evicted));
  }

  @Test
  void evictedNeighborIsKeptAsPassive() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(5, new Neighbor(peer(5).address(), true));

    NodeId evicted = f.io.recipients(Disconnect.class).getFirst();
    assertThat(f.passiveIds()).containsExactly(evicted);
  }

  @Test
  void aForcedEvictionTakesTheNewestNeighbour() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(5, new Neighbor(peer(5).address(), true));

    assertThat(f.io.recipients(Disconnect.class)).containsExactly(id(4));
  }

  @Test
  void insistentPeersTakeTurnsInOneSlotAndNeverEvictTheOlderNeighbours() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    for (int sybil = 10; sybil < 40; sybil++) {
      f.receive(sybil, new Neighbor(peer(sybil).address(), true));
    }

    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(2), id(3), id(39));
  }

  @Test
  void lowPriorityNeighborIsRejectedWhenTheActiveViewIsFull() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(5, new Neighbor(peer(5).address(), false));

    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(2), id(3), id(4));
    assertThat(f.io.messagesTo(id(5))).containsExactly(new NeighborReply(false));
    assertThat(f.io.disconnected(id(5))).isTrue();
  }

  @Test
  void lowPriorityNeighborIsAcceptedWhenThereIsRoom() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(5, new Neighbor(peer(5).address(), false));

    assertThat(f.activeIds()).contains(id(5));
    assertThat(f.io.messagesTo(id(5))).containsExactly(new NeighborReply(true));
  }

  @Test
  void repeatedNeighborRequestFromANeighborIsAcceptedAgain() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    f.receive(1, new Neighbor(peer(1).address(), false));

    assertThat(f.io.messagesTo(id(1))).containsExactly(new NeighborReply(true));
    assertThat(f.activeIds()).hasSize(4);
  }

  @Test
  void anInsistentRequestCrossingOursEvictsTheNewestNeighbourAsIfItHadNotCrossed() {
    for (long seed = 1; seed <= 10; seed++) {
      Fixture f = new Fixture(MembershipConfig.withDegree(4), seed).withNeighbors(1, 2, 3, 4);
      f.receive(1, new MembershipMessage.ForwardJoin(peer(9), 0)); // the walk ends here: we ask 9
      assertThat(f.io.messagesTo(id(9))).containsExactly(new Neighbor(f.self.address(), true));
      f.io.clear();

      f.receive(9, new Neighbor(peer(9).address(), true)); // 9 never answered, and now insists

      assertThat(f.io.recipients(Disconnect.class)).as("seed %d", seed).containsExactly(id(4));
    }
  }

  @Test
  void crossingNeighborRequestsLeaveBothSidesNeighbors() {
    MembershipConfig config = MembershipConfig.withDegree(4);
    RecordingIo ioA = new RecordingIo();
    RecordingIo ioB = new RecordingIo();
    HyParView a = new HyParView(peer(1), config, new SplittableRandom(1), ioA);
    HyParView b = new HyParView(peer(2), config, new SplittableRandom(2), ioB);
    // each ends a join walk of the other, so each asks the other at the same time
    a.onMessage(id(3), new Neighbor(peer(3).address(), true), 0);
    b.onMessage(id(4), new Neighbor(peer(4).address(), true), 0);
    a.onMessage(id(3), new MembershipMessage.ForwardJoin(peer(2), 0), 0);
    b.onMessage(id(4), new MembershipMessage.ForwardJoin(peer(1), 0), 0);
    Neighbor fromA = (Neighbor) ioA.messagesTo(id(2)).getFirst();
    Neighbor fromB = (Neighbor) ioB.messagesTo(id(1)).getFirst();
    ioA.clear();
    ioB.clear();

    b.onMessage(id(1), fromA, 0);
    a.onMessage(id(2), fromB, 0);
    for (MembershipMessage m : ioA.messagesTo(id(2))) {
      b.onMessage(id(1), m, 0);
    }
    for (MembershipMessage m : ioB.messagesTo(id(1))) {
      a.onMessage(id(2), m, 0);
    }

    assertThat(a.isNeighbor(id(2))).isTrue();
    assertThat(b.isNeighbor(id(1))).isTrue();
    assertThat(ioA.messages(Disconnect.class)).isEmpty();
    assertThat(ioB.messages(Disconnect.class)).isEmpty();
  }

  @Test
  void refusedRefillRequestKeepsThePeerPassiveAndAsksAnother() {
    Fixture f = Fixture.small().withNeighbors(1, 2).withPassive(5);
    f.fire(MembershipTimer.SHUFFLE_TICK); // tops the active view up: asks 5
    f.withPassive(6);

    f.receive(5, new NeighborReply(false));

    assertThat(f.passiveIds()).contains(id(5));
    assertThat(f.io.messagesTo(id(6))).containsExactly(new Neighbor(f.self.address(), false));
  }

  @Test
  void unansweredRequestDropsThePeerFromThePassiveView() {
    Fixture f = Fixture.small().withNeighbors(1).withPassive(5);
    f.fire(MembershipTimer.SHUFFLE_TICK);
    MembershipTimer.NeighborTimeout timeout =
        f.io.timers(MembershipTimer.NeighborTimeout.class).getFirst();

    f.fire(timeout);

    assertThat(f.passiveIds()).doesNotContain(id(5));
    assertThat(f.io.disconnected(id(5))).isTrue();
  }

  @Test
  void timeoutOfAnAnsweredRequestChangesNothing() {
    Fixture f = Fixture.small().withNeighbors(1).withPassive(5);
    f.fire(MembershipTimer.SHUFFLE_TICK);
    MembershipTimer.NeighborTimeout timeout =
        f.io.timers(MembershipTimer.NeighborTimeout.class).getFirst();
    f.receive(5, new NeighborReply(true));

    f.fire(timeout);

    assertThat(f.activeIds()).contains(id(5));
  }

  @Test
  void refillAsksAtMostTheParallelismAtOnce() {
    Fixture f = new Fixture(MembershipConfig.withDegree(30)).withNeighbors(1);
    f.withPassive(java.util.stream.IntStream.rangeClosed(10, 29).toArray());

    f.fire(MembershipTimer.SHUFFLE_TICK);

    assertThat(f.io.messages(Neighbor.class)).hasSize(4);
  }

  @Test
  void refillStopsAfterItsRefusalBudgetUntilTheNextTick() {
    Fixture f = new Fixture(MembershipConfig.withDegree(30)).withNeighbors(1);
    f.withPassive(java.util.stream.IntStream.rangeClosed(10, 49).toArray());
    f.fire(MembershipTimer.SHUFFLE_TICK);
    int refusals = 0;
    for (int round = 0; round < 40; round++) {
      List<NodeId> asked = f.io.recipients(Neighbor.class);
      f.io.clear();
      for (NodeId peer : asked) {
        f.node.onMessage(peer, new NeighborReply(false), f.now());
        refusals++;
      }
    }

    // the budget is the parallelism; requests already out when it ran dry are answered too
    assertThat(refusals).isBetween(4, 4 + 3);
    f.fire(MembershipTimer.SHUFFLE_TICK);
    assertThat(f.io.messages(Neighbor.class)).isNotEmpty();
  }

  @Test
  void lateAcceptAfterTimeoutIsAnsweredWithDisconnect() {
    Fixture f = Fixture.small().withNeighbors(1).withPassive(5);
    f.fire(MembershipTimer.SHUFFLE_TICK);
    f.fire(f.io.timers(MembershipTimer.NeighborTimeout.class).getFirst());
    f.io.clear();

    f.receive(5, new NeighborReply(true));

    assertThat(f.activeIds()).doesNotContain(id(5));
    assertThat(f.io.messagesTo(id(5))).containsExactly(new Disconnect(false));
  }

  @Test
  void lowPriorityAcceptIntoAViewThatFilledMeanwhileIsUndone() {
    Fixture f = Fixture.small().withNeighbors(1, 2).withPassive(5);
    f.fire(MembershipTimer.SHUFFLE_TICK); // asks 5 with low priority
    f.withNeighbors(3, 4);

    f.receive(5, new NeighborReply(true));

    assertThat(f.activeIds()).doesNotContain(id(5));
    assertThat(f.io.messagesTo(id(5))).containsExactly(new Disconnect(false));
    assertThat(f.passiveIds()).contains(id(5));
  }

  @Test
  void starvingNodeAsksWithHighPriorityOncePerTick() {
    // one neighbour of eight: below half, so the first request of the tick insists
    Fixture f = new Fixture(MembershipConfig.withDegree(8)).withNeighbors(1).withPassive(5, 6, 7);

    f.fire(MembershipTimer.SHUFFLE_TICK);

    List<Neighbor> requests = f.io.messages(Neighbor.class);
    assertThat(requests).hasSize(3);
    assertThat(requests.stream().filter(Neighbor::highPriority)).hasSize(1);
  }

  @Test
  void nodeWithHalfItsNeighborsAsksWithLowPriority() {
    Fixture f = new Fixture(MembershipConfig.withDegree(8)).withNeighbors(1, 2, 3, 4).withPassive(5, 6);

    f.fire(MembershipTimer.SHUFFLE_TICK);

    assertThat(f.io.messages(Neighbor.class)).hasSize(2).noneMatch(Neighbor::highPriority);
  }
}
