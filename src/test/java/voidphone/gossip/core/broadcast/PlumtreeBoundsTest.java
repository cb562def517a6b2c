package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/** Every store the peers can fill is bounded, and each bound is hit here. */
class PlumtreeBoundsTest {
  private static final NodeId A = node(1);
  private static final NodeId B = node(2);
  private static final NodeId ORIGIN = node(99);

  private static final NodeId EAGER = node(98);

  private static CoreHarness withLazyPeer(BroadcastConfig config, NodeId peer) {
    CoreHarness h = new CoreHarness(config);
    h.core.neighborUp(peer);
    h.receive(peer, new Prune());
    return h;
  }

  /**
   * {@code peer} lazy and one eager peer besides, as in a tree, for local items to be announced to
   * it: with no eager peer a local item would be pushed to the lazy one.
   */
  private static CoreHarness announcingTo(BroadcastConfig config, NodeId peer) {
    CoreHarness h = withLazyPeer(config, peer);
    h.core.neighborUp(EAGER);
    return h;
  }

  @Test
  void seenRecordStopsReprocessingAfterTheCacheEvictedTheItem() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withCacheSize(1));
    h.core.neighborUp(A);
    Gossip g = h.gossip(ORIGIN, 0, 1, "old");
    h.receive(A, g);
    h.validated(g.id(), Verdict.VALID);
    h.broadcastMany(3); // pushes g out of the one-item cache
    h.clearOutputs();

    h.receive(A, g);

    assertThat(h.count(BroadcastCounter.CACHE_EVICTIONS)).isEqualTo(3);
    assertThat(h.delivered).isEmpty();
    assertThat(h.count(BroadcastCounter.DUPLICATES_RECEIVED)).isEqualTo(1);
  }

  @Test
  void anItemEvictedFromThePayloadCacheIsNoLongerAnnounced() {
    CoreHarness h = announcingTo(BroadcastConfig.defaults().withCacheSize(1), A);
    h.core.broadcast(0, 1, new byte[] {1}, h.now());
    ItemId second = h.core.broadcast(0, 1, new byte[] {2}, h.now()); // evicts the first

    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);

    assertThat(h.sentOfKindTo(A, IHave.class)).singleElement()
        .satisfies(i -> assertThat(i.announcements()).extracting(Announcement::id).containsExactly(second));
  }

  @Test
  void seenRecordForgetsTheOldestIdBeyondItsCapacity() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withSeenCapacity(3));
    h.core.neighborUp(A);
    List<Gossip> items = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Gossip g = h.gossip(ORIGIN, 0, 1, "item " + i);
      items.add(g);
      h.receive(A, g);
      h.validated(g.id(), Verdict.VALID);
    }

    assertThat(h.count(BroadcastCounter.SEEN_EVICTIONS)).isEqualTo(1);
    assertThat(h.core.hasSeen(items.get(0).id())).isFalse();
    assertThat(items.subList(1, 4)).allSatisfy(g -> assertThat(h.core.hasSeen(g.id())).isTrue());
  }

  @Test
  void noIHaveCarriesMoreThanTheCap() {
    CoreHarness h = announcingTo(BroadcastConfig.defaults().withIHaveBatching(5, 4, 100, 1000), A);

    h.broadcastMany(10);
    h.advance(5);

    assertThat(h.sentOfKindTo(A, IHave.class))
        .extracting(i -> i.announcements().size())
        .containsExactly(4, 4, 2);
  }

  @Test
  void theAnnouncementLogDropsTheOldestBeyondItsCap() {
    // one IHAVE of at most 2 ids per flush, at most 5 ids waiting
    CoreHarness h = announcingTo(BroadcastConfig.defaults().withIHaveBatching(5, 2, 1, 5), A);
    List<ItemId> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(h.core.broadcast(0, 1, new byte[] {(byte) i}, h.now()));
    }
    assertThat(h.core.queuedAnnouncements(A)).isEqualTo(5);
    assertThat(h.count(BroadcastCounter.LAZY_IDS_DROPPED)).isEqualTo(7);

    h.advance(100);

    List<ItemId> announced =
        h.sentOfKindTo(A, IHave.class).stream()
            .flatMap(i -> i.announcements().stream())
            .map(Announcement::id)
            .toList();
    assertThat(announced).isEqualTo(ids.subList(7, 12));
  }

  @Test
  void ihaveMessagesPerPeerAndFlushAreBounded() {
    CoreHarness h = announcingTo(BroadcastConfig.defaults().withIHaveBatching(5, 2, 2, 100), A);

    h.broadcastMany(10);
    assertThat(h.sentOfKindTo(A, IHave.class)).isEmpty(); // nothing goes before the flush

    h.advance(5);
    assertThat(h.sentOfKindTo(A, IHave.class)).hasSize(2);
    h.advance(5);
    assertThat(h.sentOfKindTo(A, IHave.class)).hasSize(4);
    h.advance(5);
    assertThat(h.sentOfKindTo(A, IHave.class)).hasSize(5);
  }

  @Test
  void announcementsBeyondTheMissingItemCapAreDropped() {
    CoreHarness h = withLazyPeer(BroadcastConfig.defaults().withMissingBounds(8, 2), A);
    List<Announcement> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(new Announcement(h.gossip(ORIGIN, 0, 1, "m" + i).id(), 1));
    }

    h.receive(A, new IHave(three));
    h.advance(1); // no eager peer: GRAFTed at once, and forgotten once the retries run out

    assertThat(h.core.missingItems()).isEqualTo(2);
    assertThat(h.count(BroadcastCounter.ANNOUNCEMENTS_DROPPED)).isEqualTo(1);
    assertThat(h.sentOfKindTo(A, Graft.class))
        .flatMap(Graft::ids)
        .containsExactly(three.get(0).id(), three.get(1).id());
  }

  @Test
  void announcersOfOneItemBeyondTheCapAreDropped() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withMissingBounds(2, 100));
    List<NodeId> peers = List.of(node(1), node(2), node(3));
    Announcement a = new Announcement(h.gossip(ORIGIN, 0, 1, "m").id(), 1);
    for (NodeId peer : peers) {
      h.core.neighborUp(peer);
      h.receive(peer, new Prune());
      h.receive(peer, new IHave(List.of(a)));
    }

    h.advance(BroadcastConfig.DEFAULT_GRAFT_TIMEOUT_MILLIS + 10 * BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(h.count(BroadcastCounter.ANNOUNCEMENTS_DROPPED)).isEqualTo(1);
    assertThat(h.sentOfKind(Graft.class)).hasSize(2);
    assertThat(h.sentTo(node(3))).isEmpty();
    assertThat(h.core.missingItems()).isZero();
  }

  @Test
  void droppedIdsAddUpInTheBoundsCounter() {
    CoreHarness h = announcingTo(BroadcastConfig.defaults().withIHaveBatching(5, 2, 1, 1), A);

    h.broadcastMany(4); // 1 queued at a time: the 2nd..4th each push out an older one

    assertThat(h.core.stats().idsDroppedByBounds()).isEqualTo(3);
  }
}
