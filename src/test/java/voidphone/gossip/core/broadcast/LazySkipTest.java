package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/** A lazy peer that showed it has an item is not told about it again (LazyQueues#peerHas). */
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
  void aQueueLongerThanTheScanLimitIsNotSearched() {
    Gossip first = received("queued first");
    for (int i = 1; i <= LazyQueues.MAX_SCANNED; i++) {
      received("queued behind it " + i);
    }

    h.receive(LAZY, new IHave(List.of(first.announcement())));

    assertThat(h.count(BroadcastCounter.LAZY_IDS_SKIPPED)).isZero();
    assertThat(h.core.queuedAnnouncements(LAZY)).isEqualTo(LazyQueues.MAX_SCANNED + 1);
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
