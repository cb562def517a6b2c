package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/** A lazy peer that showed it has an item is not told about it again (LazyAnnouncements#peerHas). */
class LazySkipTest {
  private static final NodeId LAZY = node(1);
  private static final NodeId EAGER = node(2);
  private static final NodeId ORIGIN = node(99);

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  LazySkipTest() {
    h.core.neighborUp(LAZY);
    h.core.neighborUp(EAGER);
    h.receive(LAZY, new Prune());
  }

  /** An item that arrives from the eager peer and is validated: it is queued for LAZY. */
  private Gossip received(String text) {
    Gossip g = h.gossip(ORIGIN, 0, 1, text);
    h.receive(EAGER, g);
    h.validated(g.id(), Verdict.VALID);
    return g;
  }

  private void flush() {
    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);
  }

  @Test
  void anItemTheLazyPeerAnnouncedToUsIsNotAnnouncedBack() {
    Gossip g = received("both have it");

    h.receive(LAZY, new IHave(List.of(g.announcement())));
    flush();

    assertThat(h.sentOfKindTo(LAZY, IHave.class)).isEmpty();
    assertThat(h.count(BroadcastCounter.LAZY_IDS_SKIPPED)).isOne();
  }

  @Test
  void anItemTheLazyPeerPushedToUsIsNotAnnouncedBack() {
    Gossip g = received("pushed by both");

    h.receive(LAZY, g);
    flush();

    assertThat(h.sentOfKindTo(LAZY, IHave.class)).isEmpty();
  }

  @Test
  void aNeighbourBeyondTheSlotsIsToldEvenOfItemsItShowedItHas() {
    // LAZY and EAGER hold two of the 64 slots; 62 more neighbours fill them, the next has none
    NodeId beyond = null;
    for (int i = 0; i <= LazyAnnouncements.SLOTS - 2; i++) {
      beyond = node(100 + i);
      h.core.neighborUp(beyond);
      h.receive(beyond, new Prune());
    }
    Gossip g = received("it has this one");

    h.receive(beyond, new IHave(List.of(g.announcement())));
    h.advance(20 * BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS); // every lazy peer has had its turn

    assertThat(h.sentOfKindTo(beyond, IHave.class)).singleElement()
        .satisfies(i -> assertThat(i.announcements()).extracting(Announcement::id).containsExactly(g.id()));
  }

  @Test
  void theOtherItemsQueuedForThatPeerAreStillAnnounced() {
    Gossip known = received("it has this one");
    Gossip unknown = received("it lacks this one");

    h.receive(LAZY, new IHave(List.of(known.announcement())));
    flush();

    assertThat(h.sentOfKindTo(LAZY, IHave.class)).singleElement()
        .satisfies(i -> assertThat(i.announcements())
            .extracting(Announcement::id)
            .containsExactly(unknown.id()));
  }
}
