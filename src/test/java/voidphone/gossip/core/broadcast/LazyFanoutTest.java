package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/**
 * Each flush serves a share of the lazy peers (BroadcastConfig#ihaveFanout), those least recently
 * served, with everything logged since their last turn (LazyAnnouncements).
 */
class LazyFanoutTest {

  /**
   * {@code n} lazy peers, and one eager peer besides them, as in a tree: with no eager peer a local
   * item would be pushed to one of the lazy ones.
   */
  private static List<NodeId> lazyPeers(CoreHarness h, int n) {
    h.core.neighborUp(node(999));
    List<NodeId> peers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      NodeId peer = node(i);
      h.core.neighborUp(peer);
      h.receive(peer, new Prune());
      peers.add(peer);
    }
    return peers;
  }

  private static void flush(CoreHarness h) {
    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);
  }

  private static Set<NodeId> ihaveReceivers(CoreHarness h) {
    Set<NodeId> out = new HashSet<>();
    for (CoreHarness.Sent s : h.sent) {
      if (s.message() instanceof IHave) out.add(s.peer());
    }
    return out;
  }

  @Test
  void aFlushServesAQuarterOfTwentyNineLazyPeers() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults());
    lazyPeers(h, 29);

    h.broadcastMany(3);
    flush(h);

    assertThat(h.sentOfKind(IHave.class)).hasSize(8); // ceil(29 / 4), one IHAVE each
    assertThat(h.sentOfKind(IHave.class))
        .allSatisfy(i -> assertThat(i.announcements()).hasSize(3));
  }

  @Test
  void everyLazyPeerHearsOfAnItemExactlyOnceWithinFourFlushes() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults());
    List<NodeId> peers = lazyPeers(h, 29);

    h.broadcastMany(1);
    for (int i = 0; i < 4; i++) flush(h);
    int sentWithinFour = h.sentOfKind(IHave.class).size();
    flush(h);

    assertThat(ihaveReceivers(h)).containsExactlyInAnyOrderElementsOf(peers);
    assertThat(sentWithinFour).isEqualTo(29);
    assertThat(h.sentOfKind(IHave.class)).hasSize(29);
  }

  @Test
  void aPeerWhoseTurnComesLaterGetsEverythingLoggedSinceItsLastTurn() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults());
    lazyPeers(h, 29);
    h.broadcastMany(1);
    flush(h); // 8 peers told of the first item
    h.broadcastMany(1);

    h.clearOutputs();
    flush(h); // the next 8: both items

    assertThat(h.sentOfKind(IHave.class)).hasSize(8)
        .allSatisfy(i -> assertThat(i.announcements()).hasSize(2));
  }

  @Test
  void everyLazyPeerIsToldWhenThereAreNoMoreThanTheMinimum() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults());
    List<NodeId> peers = lazyPeers(h, BroadcastConfig.DEFAULT_IHAVE_FANOUT_MIN);

    h.broadcastMany(1);
    flush(h);

    assertThat(ihaveReceivers(h)).containsExactlyInAnyOrderElementsOf(peers);
  }

  @Test
  void aHundredPercentFanoutTellsEveryLazyPeerAsInThePaper() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withIHaveFanout(1, 100));
    List<NodeId> peers = lazyPeers(h, 29);

    h.broadcastMany(1);
    flush(h);

    assertThat(ihaveReceivers(h)).containsExactlyInAnyOrderElementsOf(peers);
  }

  @Test
  void aPeerMadeEagerBeforeTheFlushIsStillToldOfItemsSpreadWhileItWasLazy() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withIHaveFanout(1, 1));
    List<NodeId> peers = lazyPeers(h, 29);
    h.broadcastMany(1); // pushed to nobody: all 29 are lazy, and one is served per flush
    NodeId promoted = peers.get(28);

    h.receive(promoted, new Graft(List.of())); // now eager: it gets new items pushed, not old ones
    flush(h);

    assertThat(h.sentOfKindTo(promoted, IHave.class)).hasSize(1);
    assertThat(h.sentOfKind(IHave.class)).hasSize(2); // and the one lazy peer whose turn it was
  }
}
