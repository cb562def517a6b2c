package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.membership.MembershipMessage.ForwardJoin;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;

class HyParViewJoinTest {

  @Test
  void joinSendsOwnAddressToTheContact() {
    Fixture f = Fixture.small();

    f.node.join(peer(1), f.now());

    assertThat(f.io.messagesTo(id(1))).containsExactly(new Join(f.self.address()));
  }

  @Test
  void contactEntersTheActiveViewWhenItAcceptsTheJoin() {
    Fixture f = Fixture.small();
    f.node.join(peer(1), f.now());

    f.receive(1, new NeighborReply(true));

    assertThat(f.activeIds()).containsExactly(id(1));
    assertThat(f.io.outputs).contains(new RecordingIo.Up(id(1)));
  }

  @Test
  void contactThatRefusesTheJoinIsNotANeighbor() {
    Fixture f = Fixture.small();
    f.node.join(peer(1), f.now());

    f.receive(1, new NeighborReply(false));

    assertThat(f.activeIds()).isEmpty();
  }

  @Test
  void joinAddsTheJoinerToTheContactsActiveViewAndAcceptsIt() {
    Fixture f = Fixture.small();

    f.receive(1, new Join(peer(1).address()));

    assertThat(f.activeIds()).containsExactly(id(1));
    assertThat(f.io.messagesTo(id(1))).containsExactly(new NeighborReply(true));
  }

  @Test
  void contactForwardsTheJoinToEveryOtherNeighborWithTheActiveWalkLength() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3);

    f.receive(4, new Join(peer(4).address()));

    assertThat(f.io.recipients(ForwardJoin.class)).containsExactlyInAnyOrder(id(1), id(2), id(3));
    assertThat(f.io.messages(ForwardJoin.class))
        .allSatisfy(m -> assertThat(m).isEqualTo(new ForwardJoin(peer(4), 6)));
  }

  @Test
  void joinIsSentAgainWhileNoNeighborIsUp() {
    Fixture f = Fixture.small();
    f.node.join(peer(1), f.now());
    MembershipTimer.NeighborTimeout timeout =
        f.io.timers(MembershipTimer.NeighborTimeout.class).getFirst();
    f.fire(timeout);
    f.io.clear();

    f.fire(MembershipTimer.JOIN_RETRY);

    assertThat(f.io.messagesTo(id(1))).containsExactly(new Join(f.self.address()));
  }

  @Test
  void joinRetriesBackOffExponentially() {
    Fixture f = Fixture.small();
    f.node.join(peer(1), f.now());
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      f.io.outputs.stream()
          .filter(o -> o instanceof RecordingIo.Scheduled s && s.timer() instanceof MembershipTimer.JoinRetry)
          .map(o -> ((RecordingIo.Scheduled) o).delayMillis())
          .forEach(delays::add);
      f.io.clear();
      f.fire(MembershipTimer.JOIN_RETRY);
    }

    assertThat(delays).containsExactly(2_000L, 4_000L, 8_000L);
  }

  @Test
  void joinRetryStopsOnceANeighborIsUp() {
    Fixture f = Fixture.small();
    f.node.join(peer(1), f.now());
    f.receive(1, new NeighborReply(true));
    f.io.clear();

    f.fire(MembershipTimer.JOIN_RETRY);

    assertThat(f.io.messages(Join.class)).isEmpty();
    assertThat(f.io.timers(MembershipTimer.JoinRetry.class)).isEmpty();
  }

  @Test
  void joinsBeyondTheRateLimitAreRefused() {
    Fixture f = new Fixture(MembershipConfig.withDegree(100).withJoinsPerSecond(5));

    for (int n = 1; n <= 11; n++) {
      f.receive(n, new Join(peer(n).address()));
    }

    // a burst of twice the rate is served, the eleventh JOIN in the same instant is not
    assertThat(f.activeIds()).hasSize(10);
    assertThat(f.io.messagesTo(id(11))).containsExactly(new NeighborReply(false));
    assertThat(f.io.disconnected(id(11))).isTrue();
  }

  @Test
  void joinRateLimitRefillsWithTime() {
    Fixture f = new Fixture(MembershipConfig.withDegree(100).withJoinsPerSecond(5));
    for (int n = 1; n <= 10; n++) {
      f.receive(n, new Join(peer(n).address()));
    }
    f.advance(200); // one token at five per second

    f.receive(11, new Join(peer(11).address()));

    assertThat(f.activeIds()).contains(id(11));
  }

  @Test
  void forwardJoinWithTtlZeroAsksTheJoinerWithHighPriority() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new ForwardJoin(peer(9), 0));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new Neighbor(f.self.address(), true));
    assertThat(f.io.messages(ForwardJoin.class)).isEmpty();
  }

  @Test
  void forwardJoinWhenOnlyTheSenderIsActiveEndsTheWalk() {
    Fixture f = Fixture.small().withNeighbors(1);

    f.receive(1, new ForwardJoin(peer(9), 5));

    assertThat(f.io.messagesTo(id(9))).containsExactly(new Neighbor(f.self.address(), true));
    assertThat(f.io.messages(ForwardJoin.class)).isEmpty();
  }

  @Test
  void forwardJoinIsPassedToAnotherNeighborWithTtlDecremented() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new ForwardJoin(peer(9), 5));

    assertThat(f.io.messagesTo(id(2))).containsExactly(new ForwardJoin(peer(9), 4));
    assertThat(f.io.messagesTo(id(9))).isEmpty();
  }

  @Test
  void forwardJoinAtThePassiveWalkLengthRecordsTheJoinerAsPassive() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new ForwardJoin(peer(9), 3));

    assertThat(f.passiveIds()).containsExactly(id(9));
  }

  @Test
  void forwardJoinAwayFromThePassiveWalkLengthLeavesThePassiveViewAlone() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new ForwardJoin(peer(9), 4));

    assertThat(f.passiveIds()).isEmpty();
  }

  @Test
  void forwardJoinTtlAboveTheWalkLengthIsCutToIt() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new ForwardJoin(peer(9), 200));

    assertThat(f.io.messagesTo(id(2))).containsExactly(new ForwardJoin(peer(9), 5));
  }

  @Test
  void forwardJoinFromANonNeighborIsAnsweredWithDisconnect() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(7, new ForwardJoin(peer(9), 5));

    assertThat(f.io.messagesTo(id(7))).containsExactly(new MembershipMessage.Disconnect(false));
    assertThat(f.io.disconnected(id(7))).isTrue();
    assertThat(f.io.messagesTo(id(9))).isEmpty();
  }

  @Test
  void walkEndAddsTheJoinerWhenItAccepts() {
    Fixture f = Fixture.small().withNeighbors(1, 2);
    f.receive(1, new ForwardJoin(peer(9), 0));

    f.receive(9, new NeighborReply(true));

    assertThat(f.activeIds()).contains(id(9));
  }

  @Test
  void walkEndEvictsANeighborToAddAJoinerThatAccepts() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);
    f.receive(1, new ForwardJoin(peer(9), 0));

    f.receive(9, new NeighborReply(true));

    assertThat(f.activeIds()).hasSize(4).contains(id(9));
  }

  /** Twenty fully meshed nodes pass one FORWARD_JOIN around until the walk ends. */
  @Test
  void forwardJoinWalkEndsWithinTheActiveWalkLength() {
    int n = 20;
    MembershipConfig config = MembershipConfig.withDegree(n);
    List<HyParView> nodes = new ArrayList<>();
    List<RecordingIo> ios = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RecordingIo io = new RecordingIo();
      ios.add(io);
      nodes.add(new HyParView(peer(i), config, new SplittableRandom(i), io));
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          nodes.get(i).onMessage(id(j), new Neighbor(peer(j).address(), true), 0);
        }
      }
      ios.get(i).clear();
    }
    Peer joiner = peer(500);
    Deque<Object[]> inFlight = new ArrayDeque<>();
    inFlight.add(new Object[] {id(1), 0, new ForwardJoin(joiner, config.activeWalkLength())});
    int hops = 0;
    while (!inFlight.isEmpty()) {
      Object[] next = inFlight.poll();
      int at = (int) next[1];
      hops++;
      nodes.get(at).onMessage((NodeId) next[0], (ForwardJoin) next[2], 0);
      for (RecordingIo.Output o : ios.get(at).outputs) {
        if (o instanceof RecordingIo.Sent s && s.message() instanceof ForwardJoin fj) {
          inFlight.add(new Object[] {id(at), (int) s.to().id().w0(), fj});
        }
      }
      ios.get(at).clear();
    }

    assertThat(hops).isEqualTo(config.activeWalkLength() + 1);
  }

  @Test
  void walkEndsBeyondTheRequestCapRecordTheJoinerAsPassive() {
    // degree 2, parallelism 4: at most 6 requests out
    MembershipConfig config = MembershipConfig.withDegree(2).withPassiveCapacity(50);
    Fixture f = new Fixture(config).withNeighbors(1);
    for (int joiner = 100; joiner < 110; joiner++) {
      f.receive(1, new ForwardJoin(peer(joiner), 0));
    }

    assertThat(f.io.messages(Neighbor.class)).hasSize(6);
    assertThat(f.node.pendingRequests()).isEqualTo(6);
    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(106), id(107), id(108), id(109));
  }

  @Test
  void onlyTheLastEightContactsAreRemembered() {
    Fixture f = new Fixture(MembershipConfig.withDegree(30));
    for (int contact = 1; contact <= 9; contact++) {
      f.node.join(peer(contact), f.now());
    }
    for (MembershipTimer.NeighborTimeout t : f.io.timers(MembershipTimer.NeighborTimeout.class)) {
      f.fire(t);
    }
    java.util.Set<NodeId> retried = new java.util.HashSet<>();
    for (int i = 0; i < 60; i++) {
      f.io.clear();
      f.fire(MembershipTimer.JOIN_RETRY);
      retried.addAll(f.io.recipients(Join.class));
      f.io.timers(MembershipTimer.NeighborTimeout.class).forEach(f::fire);
    }

    assertThat(retried).hasSize(HyParView.MAX_CONTACTS).doesNotContain(id(1));
  }

  @Test
  void joinsIntoAFullViewNeverEvictTheOlderHalfOfTheNeighbours() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4);

    for (int joiner = 10; joiner < 40; joiner++) {
      f.receive(joiner, new Join(peer(joiner).address()));
    }

    assertThat(f.activeIds()).hasSize(4).contains(id(1), id(2));
  }

  @Test
  void aJoinIntoAFullViewEvictsEitherOfTheNewerHalf() {
    java.util.Set<NodeId> evicted = new java.util.HashSet<>();
    for (long seed = 1; seed <= 20; seed++) {
      Fixture f = new Fixture(MembershipConfig.withDegree(4), seed).withNeighbors(1, 2, 3, 4);
      f.receive(10, new Join(peer(10).address()));
      evicted.addAll(f.io.recipients(MembershipMessage.Disconnect.class));
    }

    assertThat(evicted).containsExactlyInAnyOrder(id(3), id(4));
  }
}
