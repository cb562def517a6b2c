package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/** Eager push, lazy announcements, and how links move between the two. */
class PlumtreeSpreadingTest {
  private static final NodeId A = node(1);
  private static final NodeId B = node(2);
  private static final NodeId C = node(3);

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  @Test
  void newNeighborStartsAsEagerPeer() {
    h.core.neighborUp(A);

    assertThat(h.core.eagerPeers()).containsExactly(A);
    assertThat(h.core.lazyPeers()).isEmpty();
  }

  @Test
  void broadcastPushesPayloadToEveryEagerPeerAndDeliversNothingLocally() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);

    ItemId id = h.core.broadcast(3, 42, new byte[] {1, 2, 3}, h.now());

    for (NodeId peer : List.of(A, B)) {
      assertThat(h.sentOfKindTo(peer, Gossip.class))
          .singleElement()
          .satisfies(g -> {
            assertThat(g.id()).isEqualTo(id);
            assertThat(g.ttl()).isEqualTo(3);
            assertThat(g.hops()).isEqualTo(1);
            assertThat(g.dataType()).isEqualTo(42);
            assertThat(g.data()).containsExactly(1, 2, 3);
            assertThat(g.idMatchesContent()).isTrue();
          });
    }
    assertThat(h.delivered).isEmpty();
  }

  @Test
  void broadcastOfEqualDataTwiceMakesTwoDistinctItems() {
    h.core.neighborUp(A);

    ItemId first = h.core.broadcast(0, 1, new byte[] {9}, h.now());
    ItemId second = h.core.broadcast(0, 1, new byte[] {9}, h.now());

    assertThat(first).isNotEqualTo(second);
    assertThat(h.sentOfKindTo(A, Gossip.class)).extracting(Gossip::id).containsExactly(first, second);
  }

  @Test
  void lazyPeerGetsAnIHaveOnlyWhenTheFlushTimerFires() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);
    h.receive(A, new Prune());

    ItemId id = h.core.broadcast(0, 1, new byte[] {1}, h.now());
    assertThat(h.sentTo(A)).isEmpty();

    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);

    assertThat(h.sentOfKindTo(A, IHave.class))
        .singleElement()
        .extracting(IHave::announcements)
        .isEqualTo(List.of(new Announcement(id, 1)));
  }

  @Test
  void aLocalItemAtANodeWithNoEagerPeerIsPushedToOneLazyPeerWhichBecomesEager() {
    for (NodeId peer : List.of(A, B, C)) {
      h.core.neighborUp(peer);
      h.receive(peer, new Prune());
    }

    ItemId id = h.core.broadcast(0, 1, new byte[] {1}, h.now());

    List<NodeId> pushedTo = List.of(A, B, C).stream()
        .filter(peer -> !h.sentOfKindTo(peer, Gossip.class).isEmpty())
        .toList();
    assertThat(pushedTo).hasSize(1);
    assertThat(h.sentOfKindTo(pushedTo.get(0), Gossip.class)).extracting(Gossip::id).containsExactly(id);
    assertThat(h.core.eagerPeers()).containsExactlyElementsOf(pushedTo);
  }

  @Test
  void aLocalItemAtANodeWithAnEagerPeerIsNotPushedToLazyPeers() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);
    h.receive(B, new Prune());

    h.core.broadcast(0, 1, new byte[] {1}, h.now());

    assertThat(h.sentOfKindTo(A, Gossip.class)).hasSize(1);
    assertThat(h.sentOfKindTo(B, Gossip.class)).isEmpty();
    assertThat(h.core.lazyPeers()).containsExactly(B);
  }

  /** Receives a new item from {@code first}, then the same item from {@code again}. */
  private void duplicateFrom(NodeId first, NodeId again) {
    duplicateFrom(h, first, again);
  }

  /** Receives a new item at {@code at} from {@code first}, then the same item from {@code again}. */
  private static void duplicateFrom(CoreHarness at, NodeId first, NodeId again) {
    Gossip g = at.gossip(C, 0, 2, "x");
    at.receive(first, g);
    at.receive(again, g);
  }

  @Test
  void withPruneAfterThreeAnEagerPeerIsPrunedByItsThirdDuplicateInARow() {
    CoreHarness three = new CoreHarness(BroadcastConfig.defaults().withPruneAfterDuplicates(3).withPruneSampleWindow(0));
    three.core.neighborUp(A);
    three.core.neighborUp(B);
    duplicateFrom(three, A, B);
    duplicateFrom(three, A, B);
    assertThat(three.sentTo(B)).isEmpty();
    assertThat(three.core.eagerPeers()).contains(B);

    duplicateFrom(three, A, B);

    assertThat(three.sentTo(B)).containsExactly(new Prune());
    assertThat(three.core.lazyPeers()).containsExactly(B);
    assertThat(three.core.eagerPeers()).containsExactly(A);
    assertThat(three.count(BroadcastCounter.DUPLICATES_RECEIVED)).isEqualTo(3);
  }

  @Test
  void withPruneAfterThreeANewItemFromAPeerStartsItsDuplicateCountAfresh() {
    CoreHarness three = new CoreHarness(BroadcastConfig.defaults().withPruneAfterDuplicates(3).withPruneSampleWindow(0));
    three.core.neighborUp(A);
    three.core.neighborUp(B);
    duplicateFrom(three, A, B);
    duplicateFrom(three, A, B);

    duplicateFrom(three, B, A); // B brings a new item first: the link is useful after all
    duplicateFrom(three, A, B);
    duplicateFrom(three, A, B);

    assertThat(three.sentTo(B)).isEmpty();
    assertThat(three.core.eagerPeers()).containsExactly(A, B);
  }

  @Test
  void byDefaultTheFirstDuplicatePrunesAsInThePaper() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);
    Gossip g = h.gossip(C, 0, 2, "x");
    h.receive(A, g);

    h.receive(B, g);

    assertThat(h.sentTo(B)).containsExactly(new Prune());
    assertThat(h.core.lazyPeers()).containsExactly(B);
    assertThat(h.delivered).hasSize(1);
  }

  @Test
  void duplicateFromAPeerAlreadyLazyIsPrunedAtOnce() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);
    h.receive(B, new Prune());

    duplicateFrom(A, B);

    assertThat(h.sentTo(B)).containsExactly(new Prune());
  }

  @Test
  void newItemPushedByALazyPeerMakesItEagerAgain() {
    h.core.neighborUp(A);
    h.receive(A, new Prune());

    h.receive(A, h.gossip(C, 0, 2, "first from A"));

    assertThat(h.core.eagerPeers()).containsExactly(A);
    assertThat(h.core.lazyPeers()).isEmpty();
  }

  @Test
  void pruneMovesPeerToLazy() {
    h.core.neighborUp(A);

    h.receive(A, new Prune());

    assertThat(h.core.eagerPeers()).isEmpty();
    assertThat(h.core.lazyPeers()).containsExactly(A);
  }

  @Test
  void graftFromLazyPeerMovesItBackToEager() {
    h.core.neighborUp(A);
    h.receive(A, new Prune());

    h.receive(A, new BroadcastMessage.Graft(List.of()));

    assertThat(h.core.eagerPeers()).containsExactly(A);
    assertThat(h.core.lazyPeers()).isEmpty();
  }

  @Test
  void validItemIsPushedToEagerPeersExceptItsSenderAndAnnouncedToLazyPeers() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);
    h.core.neighborUp(C);
    h.receive(C, new Prune());
    Gossip g = h.gossip(node(99), 5, 2, "x");

    h.receive(A, g);
    h.validated(g.id(), Verdict.VALID);
    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);

    assertThat(h.sentTo(A)).isEmpty();
    assertThat(h.sentOfKindTo(B, Gossip.class)).singleElement().isEqualTo(g.forwarded(4));
    assertThat(h.sentOfKindTo(C, IHave.class))
        .singleElement()
        .extracting(IHave::announcements)
        .isEqualTo(List.of(new Announcement(g.id(), 3)));
  }

  @Test
  void neighborUpOfAKnownLazyPeerMakesItEagerAgain() {
    h.core.neighborUp(A);
    h.receive(A, new Prune());

    h.core.neighborUp(A);

    assertThat(h.core.eagerPeers()).containsExactly(A);
    assertThat(h.core.lazyPeers()).isEmpty();
  }

  @Test
  void neighborDownForgetsThePeerAndWhatWasQueuedForIt() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);
    h.receive(B, new Prune());
    h.core.broadcast(0, 1, new byte[] {1}, h.now());
    assertThat(h.core.queuedAnnouncements(B)).isEqualTo(1);

    h.core.neighborDown(A);
    h.core.neighborDown(B);
    h.clearOutputs();
    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);

    assertThat(h.core.eagerPeers()).isEmpty();
    assertThat(h.core.lazyPeers()).isEmpty();
    assertThat(h.sent).isEmpty();
  }

  @Test
  void controlMessagesFromANonNeighborChangeNothing() {
    h.core.neighborUp(A);

    h.receive(B, new BroadcastMessage.Graft(List.of()));
    h.receive(B, new IHave(List.of(new Announcement(new ItemId(0x12), 1))));
    h.receive(B, new Prune());
    h.advance(1_000);

    assertThat(h.core.eagerPeers()).containsExactly(A);
    assertThat(h.sent).isEmpty();
    assertThat(h.count(BroadcastCounter.MESSAGES_FROM_NON_NEIGHBORS)).isEqualTo(3);
  }
}
