package voidphone.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.Output.CloseReason;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;
import voidphone.gossip.core.membership.MembershipMessage.Shuffle;

/**
 * The node core's own decisions, between the protocols and the links: bootstrapping, the dial
 * queue, idle links, bans, the known peers. Inputs by hand, outputs read as data.
 */
class NodeCoreTest {
  private static final PeerAddress BOOTSTRAPPER = new PeerAddress("10.9.9.9", 7000);
  private static final NodeSettings SETTINGS = NodeSettings.defaults();

  private long now = 1_000;
  private final List<Output> outputs = new ArrayList<>();

  private static Peer peer(int n) {
    return new Peer(new NodeId(n, 0, 0, 0), new PeerAddress("10.0." + n + ".1", 7000));
  }

  private static NodeCore core(List<PeerAddress> bootstrappers, List<Peer> known) {
    return new NodeCore(peer(0), SETTINGS, MembershipConfig.withDegree(4), BroadcastConfig.defaults(),
        new SplittableRandom(1), Reputation.withDefaults(), bootstrappers, known);
  }

  private static NodeCore core() {
    return core(List.of(BOOTSTRAPPER), List.of());
  }

  /** Takes every output queued since the last call. */
  private List<Output> drain(NodeCore core) {
    outputs.clear();
    Output o;
    while ((o = core.poll()) != null) {
      outputs.add(o);
    }
    return outputs;
  }

  private <T extends Output> List<T> only(Class<T> type) {
    return outputs.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** A neighbour of ours: it asked over a link it opened. */
  private void neighbor(NodeCore core, Peer peer) {
    core.linkUp(peer.id(), peer.address(), null, now);
    core.receive(peer.id(), new Neighbor(peer.address(), true), now);
    drain(core);
  }

  // ------------------------------------------------------------ bootstrap

  @Test
  void startDialsTheBootstrapperWithoutExpectingAnIdentity() {
    NodeCore core = core();

    core.start(now);

    assertThat(drain(core)).contains(new Output.Dial(BOOTSTRAPPER, null));
  }

  @Test
  void firstNodeOfANetworkDialsNobody() {
    NodeCore core = core(List.of(), List.of());

    core.start(now);

    drain(core);
    assertThat(only(Output.Dial.class)).isEmpty();
  }

  @Test
  void linkToTheBootstrapperCarriesAJoin() {
    NodeCore core = core();
    core.start(now);
    drain(core);

    core.linkUp(peer(5).id(), peer(5).address(), BOOTSTRAPPER, now);

    assertThat(drain(core)).contains(new Output.SendMembership(peer(5).id(), new Join(peer(0).address())));
  }

  @Test
  void failedBootstrapDialsAreRetriedAfterADoublingWait() {
    NodeCore core = core();
    core.start(now);
    drain(core);

    core.dialFailed(BOOTSTRAPPER, null, DialFailure.CONNECT, "refused", now);
    List<Output.Schedule> first = only(drain(core), Output.Schedule.class);
    core.timer(NodeTimer.BOOTSTRAP_RETRY, now);
    drain(core);
    core.dialFailed(BOOTSTRAPPER, null, DialFailure.CONNECT, "refused", now);
    List<Output.Schedule> second = only(drain(core), Output.Schedule.class);

    assertThat(first).containsExactly(new Output.Schedule(1_000, NodeTimer.BOOTSTRAP_RETRY));
    assertThat(second).containsExactly(new Output.Schedule(2_000, NodeTimer.BOOTSTRAP_RETRY));
  }

  @Test
  void bootstrapperThatIsThisNodeIsNotDialledAgain() {
    NodeCore core = core();
    core.start(now);
    drain(core);
    core.dialFailed(BOOTSTRAPPER, null, DialFailure.SELF, "link to self", now);
    drain(core);

    core.timer(NodeTimer.SWEEP, now + SETTINGS.sweepMillis());

    drain(core);
    assertThat(only(Output.Dial.class)).isEmpty();
  }

  @Test
  void isolatedNodeDialsItsKnownPeersExpectingTheirIdentities() {
    NodeCore core = core(List.of(), List.of(peer(7), peer(8)));

    core.start(now);

    assertThat(drain(core)).contains(
        new Output.Dial(peer(7).address(), peer(7).id()), new Output.Dial(peer(8).address(), peer(8).id()));
  }

  @Test
  void atMostFourKnownPeersAreDialledAtOnce() {
    List<Peer> known = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      known.add(peer(n));
    }
    NodeCore core = core(List.of(), known);

    core.start(now);

    drain(core);
    assertThat(only(Output.Dial.class)).hasSize(SETTINGS.knownPeersDialledAtOnce());
  }

  // ------------------------------------------------------------ the dial queue

  @Test
  void messageForAPeerWithoutALinkWaitsForTheDialAndGoesOutOnLinkUp() {
    NodeCore core = core(List.of(), List.of());
    neighbor(core, peer(1));
    // a shuffle walk ends here: the reply must go to the origin, peer 9, who has no link to us
    core.receive(peer(1).id(), new Shuffle(peer(9), 0, List.of(peer(10))), now);
    assertThat(drain(core)).contains(new Output.Dial(peer(9).address(), peer(9).id()));
    assertThat(only(Output.SendMembership.class)).noneMatch(s -> s.to().equals(peer(9).id()));

    core.linkUp(peer(9).id(), peer(9).address(), peer(9).address(), now);

    assertThat(drain(core)).anyMatch(o -> o instanceof Output.SendMembership s && s.to().equals(peer(9).id()));
  }

  @Test
  void linkDialledOnlyForAShuffleReplyIsClosedOnceTheReplyIsOut() {
    NodeCore core = core(List.of(), List.of());
    neighbor(core, peer(1));
    core.receive(peer(1).id(), new Shuffle(peer(9), 0, List.of(peer(10))), now);
    drain(core);

    core.linkUp(peer(9).id(), peer(9).address(), peer(9).address(), now);

    List<Output> out = drain(core);
    assertThat(out).filteredOn(o -> o instanceof Output.SendMembership s && s.to().equals(peer(9).id()))
        .singleElement().satisfies(o -> assertThat(((Output.SendMembership) o).message())
            .isInstanceOf(MembershipMessage.ShuffleReply.class));
    assertThat(out.getLast()).isEqualTo(new Output.Close(peer(9).id(), CloseReason.NOT_NEEDED));
  }

  @Test
  void failedDialReportsThePeersLinkDownToMembership() {
    NodeCore core = core(List.of(), List.of());
    neighbor(core, peer(1));
    core.receive(peer(1).id(), new Shuffle(peer(9), 0, List.of(peer(10))), now);
    drain(core);

    core.dialFailed(peer(9).address(), peer(9).id(), DialFailure.CONNECT, "refused", now);

    // nothing waits for peer 9 any more: a later link to it carries nothing queued
    drain(core);
    core.linkUp(peer(9).id(), peer(9).address(), null, now);
    assertThat(drain(core)).noneMatch(o -> o instanceof Output.SendMembership);
  }

  // ------------------------------------------------------------ idle links, bans

  @Test
  void idleLinkToAPeerThatIsNoNeighborIsClosedBySweep() {
    NodeCore core = core(List.of(), List.of());
    core.start(now);
    core.linkUp(peer(3).id(), peer(3).address(), null, now);
    drain(core);

    core.timer(NodeTimer.SWEEP, now + SETTINGS.idleLinkMillis() + 1);

    assertThat(drain(core)).contains(new Output.Close(peer(3).id(), CloseReason.IDLE));
  }

  @Test
  void neighborLinkIsNeverClosedForIdleness() {
    NodeCore core = core(List.of(), List.of());
    core.start(now);
    neighbor(core, peer(3));

    core.timer(NodeTimer.SWEEP, now + 10 * SETTINGS.idleLinkMillis());

    assertThat(drain(core)).noneMatch(o -> o instanceof Output.Close);
  }

  @Test
  void undecodableFrameBansThePeerAndClosesItsLink() {
    NodeCore core = core(List.of(), List.of());
    core.linkUp(peer(3).id(), peer(3).address(), null, now);
    drain(core);

    core.frame(peer(3).id(), NodeCore.CHANNEL_MEMBERSHIP, ByteBuffer.wrap(new byte[] {(byte) 0xff}), now);

    assertThat(drain(core)).contains(new Output.Close(peer(3).id(), CloseReason.BANNED));
    assertThat(core.banRemaining(peer(3).id(), now)).isPositive();
  }

  @Test
  void frameOnAnUnknownChannelIsAViolation() {
    NodeCore core = core(List.of(), List.of());
    core.linkUp(peer(3).id(), peer(3).address(), null, now);
    drain(core);

    core.frame(peer(3).id(), 9, ByteBuffer.wrap(new byte[] {1}), now);

    assertThat(core.banRemaining(peer(3).id(), now)).isPositive();
  }

  @Test
  void bannedPeerIsNotDialledAndMembershipHearsItsLinkFailed() {
    NodeCore core = core(List.of(), List.of());
    core.linkUp(peer(3).id(), peer(3).address(), null, now);
    core.frame(peer(3).id(), NodeCore.CHANNEL_MEMBERSHIP, ByteBuffer.wrap(new byte[] {(byte) 0xff}), now);
    core.linkDown(peer(3).id(), now);
    neighbor(core, peer(1));

    // a shuffle walk ends here with a reply due to the banned peer
    core.receive(peer(1).id(), new Shuffle(peer(3), 0, List.of(peer(10))), now);

    assertThat(drain(core)).noneMatch(o -> o instanceof Output.Dial)
        .contains(new Output.Schedule(0, new NodeTimer.DialRefused(peer(3).id())));
  }

  @Test
  void whatABannedPeerSentBeforeItsLinkClosedIsNotHandled() {
    NodeCore core = core(List.of(), List.of());
    core.start(now);
    neighbor(core, peer(3));
    core.frame(peer(3).id(), 9, ByteBuffer.wrap(new byte[] {1}), now); // banned; the Close is queued
    drain(core);

    // still in the link's read buffer when the ban came: a shuffle would otherwise be answered
    core.receive(peer(3).id(), new Shuffle(peer(3), 3, List.of(peer(10))), now);

    assertThat(drain(core)).isEmpty();
  }

  // ------------------------------------------------------------ known peers, leaving

  @Test
  void savePeersTimerHandsOutTheNeighborsFirst() {
    NodeCore core = core(List.of(), List.of());
    core.start(now);
    neighbor(core, peer(1));

    core.timer(NodeTimer.SAVE_PEERS, now);

    assertThat(only(drain(core), Output.KnownPeers.class)).singleElement()
        .satisfies(k -> assertThat(k.peers()).first().isEqualTo(peer(1)));
  }

  @Test
  void leaveHandsOutTheKnownPeersThenTellsTheNeighbors() {
    NodeCore core = core(List.of(), List.of());
    neighbor(core, peer(1));

    core.leave(now);

    List<Output> out = drain(core);
    assertThat(out.getFirst()).isEqualTo(new Output.KnownPeers(List.of(peer(1))));
    assertThat(out).contains(new Output.SendMembership(peer(1).id(), new MembershipMessage.Disconnect(true)));
  }

  @Test
  void afterLeavingEveryInputIsIgnored() {
    NodeCore core = core(List.of(), List.of());
    neighbor(core, peer(1));
    core.leave(now);
    drain(core);

    core.receive(peer(2).id(), new Neighbor(peer(2).address(), true), now);
    core.timer(NodeTimer.SWEEP, now);

    assertThat(drain(core)).isEmpty();
  }

  @Test
  void acceptedJoinMakesTheContactANeighbor() {
    NodeCore core = core();
    core.start(now);
    core.linkUp(peer(5).id(), peer(5).address(), BOOTSTRAPPER, now);
    drain(core);

    core.receive(peer(5).id(), new NeighborReply(true), now);

    assertThat(core.activeView()).containsExactly(peer(5));
  }

  // ------------------------------------------------------------ inbound allowance

  /** A core whose peers may send 10 messages a second, bursts of 20. */
  private static NodeCore coreAllowingTenMessagesASecond() {
    return new NodeCore(peer(0), SETTINGS.with(k -> k.inboundMessagesPerSecond = 10), MembershipConfig.withDegree(4),
        BroadcastConfig.defaults(), new SplittableRandom(1), Reputation.withDefaults(), List.of(), List.of());
  }

  @Test
  void aPeerOverItsMessageAllowanceHasItsLinkReadMoreSlowly() {
    NodeCore core = coreAllowingTenMessagesASecond();
    neighbor(core, peer(5)); // its NEIGHBOR is the first of its 20
    for (int i = 1; i < 20; i++) {
      core.receive(peer(5).id(), new BroadcastMessage.Prune(), now);
    }
    assertThat(only(drain(core), Output.PauseReading.class)).isEmpty();

    core.receive(peer(5).id(), new BroadcastMessage.Prune(), now);

    // one message in debt at 10 a second
    assertThat(only(drain(core), Output.PauseReading.class)).containsExactly(new Output.PauseReading(peer(5).id(), 100));
  }

  @Test
  void messagesBeyondTheAllowanceAreStillHandled() {
    NodeCore core = coreAllowingTenMessagesASecond();
    neighbor(core, peer(5));
    for (int i = 0; i < 50; i++) {
      core.receive(peer(5).id(), new BroadcastMessage.Prune(), now);
    }

    core.receive(peer(5).id(), new MembershipMessage.Disconnect(false), now);

    assertThat(core.activeView()).doesNotContain(peer(5));
  }

  @Test
  void noPauseLastsLongerThanASecondSoKeepalivesStillGetThrough() {
    NodeCore core = coreAllowingTenMessagesASecond();
    neighbor(core, peer(5));
    for (int i = 0; i < 200; i++) { // read before the first pause took effect: 180 in debt
      core.receive(peer(5).id(), new BroadcastMessage.Prune(), now);
    }
    drain(core);
    now += 100;

    core.receive(peer(5).id(), new BroadcastMessage.Prune(), now);

    assertThat(only(drain(core), Output.PauseReading.class)).extracting(Output.PauseReading::millis).containsExactly(1_000L);
  }

  private <T extends Output> List<T> only(List<Output> out, Class<T> type) {
    return out.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
