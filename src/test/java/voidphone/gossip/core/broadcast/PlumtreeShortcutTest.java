package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/** The tree optimisation of the paper's section 3.8: a much shorter announced path replaces a long one. */
class PlumtreeShortcutTest {
  private static final NodeId FAR = node(1);
  private static final NodeId NEAR = node(2);
  private static final NodeId ORIGIN = node(99);
  private static final int THRESHOLD = 7; // the paper's value; the optimisation is off by default

  private final CoreHarness h =
      new CoreHarness(BroadcastConfig.defaults().withOptimizationThreshold(THRESHOLD));

  PlumtreeShortcutTest() {
    h.core.neighborUp(FAR);
    h.core.neighborUp(NEAR);
    h.receive(NEAR, new Prune());
  }

  private void receiveValid(NodeId from, Gossip g) {
    h.receive(from, g);
    h.validated(g.id(), Verdict.VALID);
    h.clearOutputs();
  }

  @Test
  void announcementThresholdHopsShorterGraftsTheAnnouncerAndPrunesTheEagerSender() {
    Gossip g = h.gossip(ORIGIN, 0, 1 + THRESHOLD, "far");
    receiveValid(FAR, g);

    h.receive(NEAR, new IHave(List.of(new Announcement(g.id(), 1))));

    assertThat(h.sentTo(NEAR)).containsExactly(new Graft(List.of()));
    assertThat(h.sentTo(FAR)).containsExactly(new Prune());
    assertThat(h.core.eagerPeers()).containsExactly(NEAR);
    assertThat(h.core.lazyPeers()).containsExactly(FAR);
    assertThat(h.count(BroadcastCounter.TREE_SHORTCUTS)).isEqualTo(1);
  }

  @Test
  void announcementLessThanThresholdHopsShorterChangesNothing() {
    Gossip g = h.gossip(ORIGIN, 0, THRESHOLD, "close enough");
    receiveValid(FAR, g);

    h.receive(NEAR, new IHave(List.of(new Announcement(g.id(), 1))));

    assertThat(h.sent).isEmpty();
    assertThat(h.core.eagerPeers()).containsExactly(FAR);
  }

  @Test
  void shorterAnnouncementHeardBeforeThePayloadAlsoSwapsTheLinks() {
    Gossip g = h.gossip(ORIGIN, 0, 1 + THRESHOLD, "far");
    h.receive(NEAR, new IHave(List.of(new Announcement(g.id(), 1))));

    h.receive(FAR, g);

    assertThat(h.sentTo(NEAR)).containsExactly(new Graft(List.of()));
    assertThat(h.sentTo(FAR)).containsExactly(new Prune());
  }

  @Test
  void optimisationIsOffByDefault() {
    CoreHarness off = new CoreHarness(BroadcastConfig.defaults());
    off.core.neighborUp(FAR);
    off.core.neighborUp(NEAR);
    off.receive(NEAR, new Prune());
    Gossip g = off.gossip(ORIGIN, 0, 50, "far");
    off.receive(FAR, g);
    off.validated(g.id(), Verdict.VALID);
    off.clearOutputs();

    off.receive(NEAR, new IHave(List.of(new Announcement(g.id(), 1))));

    assertThat(off.sent).isEmpty();
  }
}
