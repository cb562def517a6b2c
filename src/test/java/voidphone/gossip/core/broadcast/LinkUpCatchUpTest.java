package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;

/** A neighbour whose link comes up is told of the items cached before (Plumtree#announceCached). */
class LinkUpCatchUpTest {
  private static final NodeId OLD = node(1);
  private static final NodeId NEW = node(2);
  private static final NodeId ORIGIN = node(99);

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  private static List<ItemId> ids(IHave ihave) {
    return ihave.announcements().stream().map(Announcement::id).toList();
  }

  @Test
  void itemsAnnouncedWhileANodeHadNoNeighbourAreAnnouncedToItsFirstOne() {
    ItemId first = h.core.broadcast(0, 1, new byte[] {1}, h.now());
    ItemId second = h.core.broadcast(0, 1, new byte[] {2}, h.now());

    h.core.neighborUp(NEW);
    h.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(h.sentOfKindTo(NEW, IHave.class)).singleElement()
        .satisfies(i -> assertThat(ids(i)).containsExactly(first, second));
  }

  @Test
  void theAnnouncementWaitsAboutARoundTripForTheOtherEndToKnowTheLink() {
    h.core.broadcast(0, 1, new byte[] {1}, h.now());

    h.core.neighborUp(NEW);
    h.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS - 1);

    assertThat(h.sentOfKindTo(NEW, IHave.class)).isEmpty();
  }

  @Test
  void itemsTheNewNeighbourItselfBroughtAreNotAnnouncedBackToIt() {
    h.core.neighborUp(OLD);
    Gossip fromOld = h.gossip(ORIGIN, 0, 1, "from old");
    h.receive(OLD, fromOld);
    h.validated(fromOld.id(), Verdict.VALID);
    h.core.neighborDown(OLD);
    h.clearOutputs();

    h.core.neighborUp(OLD); // the link flaps back
    h.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(h.sentOfKindTo(OLD, IHave.class)).isEmpty();
  }

  @Test
  void aNeighbourGoneBeforeTheAnnouncementIsNotToldAnything() {
    h.core.broadcast(0, 1, new byte[] {1}, h.now());

    h.core.neighborUp(NEW);
    h.core.neighborDown(NEW);
    h.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(h.sentTo(NEW)).isEmpty();
  }

  @Test
  void onlyTheNewestItemsThatFitOneTurnAreAnnounced() {
    // IHAVEs of at most 2 ids, at most 2 per turn: the newest 4 of 6 cached items
    CoreHarness small = new CoreHarness(BroadcastConfig.defaults().withIHaveBatching(
        BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS, 2, 2, 100));
    List<ItemId> items = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) items.add(small.core.broadcast(0, 1, new byte[] {(byte) i}, small.now()));

    small.core.neighborUp(NEW);
    small.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(small.sentOfKindTo(NEW, IHave.class)).hasSize(2)
        .flatMap(LinkUpCatchUpTest::ids).containsExactlyElementsOf(items.subList(2, 6));
  }

  @Test
  void withNothingCachedALinkCostsNoMessage() {
    h.core.neighborUp(NEW);
    h.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(h.sentTo(NEW)).isEmpty();
  }

  @Test
  void theFloodingBaselineSendsNoAnnouncement() {
    CoreHarness flood = new CoreHarness(BroadcastConfig.defaults().withFlood(true));
    flood.core.broadcast(0, 1, new byte[] {1}, flood.now());

    flood.core.neighborUp(NEW);
    flood.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(flood.sentTo(NEW)).isEmpty();
  }
}
