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

/** Lazy repair: IHAVE, the two GRAFT timers, and GRAFTs answered from the payload cache. */
class PlumtreeRepairTest {
  private static final NodeId A = node(1);
  private static final NodeId B = node(2);
  private static final NodeId C = node(3);
  private static final NodeId ORIGIN = node(99);
  private static final long FIRST = BroadcastConfig.DEFAULT_GRAFT_TIMEOUT_MILLIS;
  private static final long RETRY = BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS;

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  /** An eager peer that never pushes: the tree link that failed (with none, GRAFTs go at once). */
  private static final NodeId PARENT = node(4);

  PlumtreeRepairTest() {
    h.core.neighborUp(PARENT);
    for (NodeId peer : List.of(A, B, C)) {
      h.core.neighborUp(peer);
      h.receive(peer, new Prune());
    }
  }

  private static IHave ihave(Gossip g) {
    return new IHave(List.of(new Announcement(g.id(), g.hops())));
  }

  @Test
  void missingItemIsGraftedFromItsFirstAnnouncerWhenTheTimeoutExpires() {
    Gossip g = h.gossip(ORIGIN, 0, 2, "m");
    h.receive(A, ihave(g));
    h.receive(B, ihave(g));

    h.advance(FIRST - 1);
    assertThat(h.sentOfKind(Graft.class)).isEmpty();

    h.advance(1);
    assertThat(h.sentTo(A)).containsExactly(new Graft(List.of(g.id())));
    assertThat(h.sentTo(B)).isEmpty();
    assertThat(h.core.eagerPeers()).containsExactlyInAnyOrder(PARENT, A);
  }

  @Test
  void graftedAnnouncerAnswersWithThePayloadWhichIsDelivered() {
    Gossip g = h.gossip(ORIGIN, 0, 2, "m");
    h.receive(A, ihave(g));
    h.advance(FIRST);

    h.receive(A, g);

    assertThat(h.delivered).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo(g.id()));
    h.advance(10 * RETRY);
    assertThat(h.sentOfKind(Graft.class)).hasSize(1);
  }

  @Test
  void secondTimerGraftsTheNextAnnouncerWhenTheFirstDoesNotAnswer() {
    Gossip g = h.gossip(ORIGIN, 0, 2, "m");
    h.receive(A, ihave(g));
    h.receive(B, ihave(g));
    h.advance(FIRST);
    h.clearOutputs();

    h.advance(RETRY - 1);
    assertThat(h.sentOfKind(Graft.class)).isEmpty();

    h.advance(1);
    assertThat(h.sentTo(B)).containsExactly(new Graft(List.of(g.id())));
  }

  @Test
  void itemArrivingEagerlyBeforeTheTimeoutCancelsTheGraft() {
    Gossip g = h.gossip(ORIGIN, 0, 2, "m");
    h.receive(A, ihave(g));

    h.core.neighborUp(C);
    h.receive(C, g);
    h.advance(FIRST + RETRY);

    assertThat(h.sentOfKind(Graft.class)).isEmpty();
    assertThat(h.core.missingItems()).isZero();
  }

  @Test
  void announcerThatWentDownIsNeverGrafted() {
    Gossip g = h.gossip(ORIGIN, 0, 2, "m");
    h.receive(A, ihave(g));
    h.receive(B, ihave(g));

    h.core.neighborDown(A);
    h.advance(FIRST);

    assertThat(h.sentTo(A)).isEmpty();
    assertThat(h.sentTo(B)).containsExactly(new Graft(List.of(g.id())));
  }

  @Test
  void missingItemIsForgottenWhenItsOnlyAnnouncerGoesDown() {
    Gossip g = h.gossip(ORIGIN, 0, 2, "m");
    h.receive(A, ihave(g));

    h.core.neighborDown(A);

    assertThat(h.core.missingItems()).isZero();
    h.advance(FIRST);
    assertThat(h.sent).isEmpty();
  }

  @Test
  void announcementOfAnItemAlreadySeenIsIgnored() {
    Gossip g = h.gossip(ORIGIN, 0, 2, "m");
    h.core.neighborUp(C);
    h.receive(C, g);

    h.receive(A, ihave(g));
    h.advance(FIRST + RETRY);

    assertThat(h.sentOfKind(Graft.class)).isEmpty();
  }

  @Test
  void graftIsAnsweredFromTheCacheWithTheTtlAndHopsAnEagerPushWouldCarry() {
    Gossip g = h.gossip(ORIGIN, 3, 2, "m");
    h.core.neighborUp(C);
    h.receive(C, g);
    h.validated(g.id(), Verdict.VALID);
    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);
    Announcement announced = h.sentOfKindTo(A, IHave.class).getFirst().announcements().getFirst();
    h.clearOutputs();

    h.receive(A, new Graft(List.of(g.id())));

    Gossip answer = h.sentOfKindTo(A, Gossip.class).getFirst();
    assertThat(answer).isEqualTo(g.forwarded(2));
    assertThat(new Announcement(answer.id(), answer.hops())).isEqualTo(announced);
    assertThat(h.core.eagerPeers()).contains(A);
  }

  @Test
  void graftOfAnItemEvictedFromTheCacheIsNotAnswered() {
    CoreHarness small = new CoreHarness(BroadcastConfig.defaults().withCacheSize(2));
    small.core.neighborUp(A);
    ItemId oldest = small.core.broadcast(0, 1, new byte[] {1}, small.now());
    ItemId kept = small.core.broadcast(0, 1, new byte[] {2}, small.now());
    small.core.broadcast(0, 1, new byte[] {3}, small.now());
    small.clearOutputs();

    small.receive(A, new Graft(List.of(oldest, kept)));

    assertThat(small.sentOfKindTo(A, Gossip.class)).extracting(Gossip::id).containsExactly(kept);
    assertThat(small.count(BroadcastCounter.CACHE_EVICTIONS)).isEqualTo(1);
    assertThat(small.count(BroadcastCounter.GRAFTS_UNANSWERED)).isEqualTo(1);
  }

  @Test
  void idRepeatedInOneGraftIsAnsweredOnce() {
    h.core.neighborUp(A);
    ItemId id = h.core.broadcast(0, 1, new byte[] {1}, h.now());
    h.clearOutputs();

    h.receive(A, new Graft(List.of(id, id, id)));

    assertThat(h.sentOfKindTo(A, Gossip.class)).hasSize(1);
  }

  @Test
  void itemAtTheEndOfItsTtlIsNeitherAnnouncedNorGivenToAGraft() {
    Gossip last = h.gossip(ORIGIN, 1, 4, "last hop");
    h.core.neighborUp(C);
    h.receive(C, last);
    h.validated(last.id(), Verdict.VALID);
    h.advance(BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS);

    h.receive(A, new Graft(List.of(last.id())));

    assertThat(h.delivered).hasSize(1);
    assertThat(h.sentOfKind(Gossip.class)).isEmpty();
    assertThat(h.sentOfKind(IHave.class)).isEmpty();
  }
}
