package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/** The flooding baseline: every link stays eager, so every item crosses every link. */
class FloodModeTest {
  private static final NodeId A = node(1);
  private static final NodeId B = node(2);

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withFlood(true));

  FloodModeTest() {
    h.core.neighborUp(A);
    h.core.neighborUp(B);
  }

  @Test
  void duplicateDoesNotPrune() {
    Gossip g = h.gossip(node(99), 0, 1, "x");
    h.receive(A, g);
    h.validated(g.id(), Verdict.VALID);
    h.clearOutputs();

    h.receive(B, g);

    assertThat(h.sent).isEmpty();
    assertThat(h.core.eagerPeers()).containsExactly(A, B);
    assertThat(h.count(BroadcastCounter.DUPLICATES_RECEIVED)).isEqualTo(1);
  }

  @Test
  void pruneLeavesTheLinkEager() {
    h.receive(A, new Prune());

    assertThat(h.core.eagerPeers()).containsExactly(A, B);
    assertThat(h.core.lazyPeers()).isEmpty();
  }

  @Test
  void broadcastReachesEveryNeighborEagerlyAndAnnouncesNothing() {
    h.receive(A, new Prune());

    h.core.broadcast(0, 1, new byte[] {1}, h.now());
    h.advance(1_000);

    assertThat(h.sent).extracting(CoreHarness.Sent::peer).containsExactly(A, B);
    assertThat(h.sent).extracting(CoreHarness.Sent::message).allMatch(m -> m instanceof Gossip);
  }

  @Test
  void announcementsAreIgnored() {
    h.receive(A, new BroadcastMessage.IHave(List.of(new Announcement(new ItemId(1), 1))));
    h.advance(1_000);

    assertThat(h.sent).isEmpty();
  }
}
