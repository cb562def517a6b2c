package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peer;

import org.junit.jupiter.api.Test;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;
import voidphone.gossip.core.membership.MembershipMessage.ForwardJoin;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;

class HyParViewFailureTest {

  @Test
  void linkDownOfANeighborPromotesAPassivePeer() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);

    f.node.linkDown(id(2), f.now());

    assertThat(f.activeIds()).doesNotContain(id(2));
    assertThat(f.io.outputs).contains(new RecordingIo.Down(id(2)));
    assertThat(f.io.messagesTo(id(7))).containsExactly(new Neighbor(f.self.address(), false));
  }

  @Test
  void neighborWhoseLinkWentDownIsKeptAsPassive() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.node.linkDown(id(2), f.now());

    // a broken link is not proof of a dead node; a dead one goes at its first failed dial
    assertThat(f.passiveIds()).containsExactly(id(2));
  }

  @Test
  void neighborWhoseLinkWentDownIsNotAskedBackBeforeTheNextTick() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.node.linkDown(id(2), f.now());

    assertThat(f.io.messagesTo(id(2))).isEmpty();
  }

  @Test
  void losingTheLastNeighborAsksAPassivePeerWithHighPriority() {
    Fixture f = Fixture.small().withNeighbors(1).withPassive(7);

    f.node.linkDown(id(1), f.now());

    assertThat(f.io.messagesTo(id(7))).containsExactly(new Neighbor(f.self.address(), true));
  }

  @Test
  void promotedPeerJoinsTheActiveViewWhenItAccepts() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7);
    f.node.linkDown(id(2), f.now());

    f.receive(7, new MembershipMessage.NeighborReply(true));

    assertThat(f.activeIds()).containsExactlyInAnyOrder(id(1), id(3), id(4), id(7));
    assertThat(f.passiveIds()).doesNotContain(id(7));
  }

  @Test
  void linkDownOfARequestedPeerDropsItFromThePassiveView() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3, 4).withPassive(7, 8);
    f.node.linkDown(id(2), f.now());
    var asked = f.io.recipients(Neighbor.class).getFirst();

    f.node.linkDown(asked, f.now());

    assertThat(f.passiveIds()).doesNotContain(asked);
  }

  @Test
  void linkDownOfAPeerWeDoNotUseChangesNothing() {
    Fixture f = Fixture.small().withNeighbors(1, 2).withPassive(7);

    f.node.linkDown(id(7), f.now());

    assertThat(f.passiveIds()).containsExactly(id(7));
    assertThat(f.io.outputs).isEmpty();
  }

  @Test
  void losingEveryNeighborWithNothingPassiveSchedulesAJoinRetry() {
    Fixture f = Fixture.small();
    f.node.join(peer(1), f.now());
    f.receive(1, new MembershipMessage.NeighborReply(true));
    f.fire(MembershipTimer.JOIN_RETRY); // a neighbour is up: retries stop
    f.io.clear();

    f.node.linkDown(id(1), f.now());

    assertThat(f.io.timers(MembershipTimer.JoinRetry.class)).hasSize(1);
    f.io.clear();
    f.fire(MembershipTimer.JOIN_RETRY);
    assertThat(f.io.messagesTo(id(1))).containsExactly(new Join(f.self.address()));
  }

  @Test
  void disconnectFromANeighborKeepsItAsPassive() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new Disconnect(false));

    assertThat(f.activeIds()).containsExactly(id(2));
    assertThat(f.passiveIds()).containsExactly(id(1));
    assertThat(f.io.disconnected(id(1))).isTrue();
  }

  @Test
  void peerThatDroppedUsIsNotAskedBackBeforeTheNextTick() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new Disconnect(false));

    assertThat(f.io.messages(Neighbor.class)).isEmpty();
  }

  @Test
  void leavingDisconnectForgetsThePeer() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new Disconnect(true));

    assertThat(f.activeIds()).containsExactly(id(2));
    assertThat(f.passiveIds()).doesNotContain(id(1));
  }

  @Test
  void leavingDisconnectFromAPassivePeerForgetsIt() {
    Fixture f = Fixture.small().withNeighbors(1).withPassive(7);

    f.receive(7, new Disconnect(true));

    assertThat(f.passiveIds()).isEmpty();
  }

  @Test
  void leaveNotifiesEveryNeighborWithLeavingDisconnect() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3);

    f.node.leave(f.now());

    assertThat(f.io.recipients(Disconnect.class)).containsExactlyInAnyOrder(id(1), id(2), id(3));
    assertThat(f.io.messages(Disconnect.class)).containsOnly(new Disconnect(true));
    assertThat(f.io.outputs)
        .contains(
            new RecordingIo.Disconnected(id(1)),
            new RecordingIo.Disconnected(id(2)),
            new RecordingIo.Disconnected(id(3)));
    assertThat(f.activeIds()).isEmpty();
  }

  @Test
  void nodeThatLeftIgnoresEveryInput() {
    Fixture f = Fixture.small().withNeighbors(1);
    f.node.leave(f.now());
    f.io.clear();

    f.receive(2, new Join(peer(2).address()));
    f.receive(1, new ForwardJoin(peer(9), 0));
    f.fire(MembershipTimer.SHUFFLE_TICK);
    f.node.linkDown(id(1), f.now());

    assertThat(f.io.outputs).isEmpty();
    assertThat(f.activeIds()).isEmpty();
  }
}
