package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/**
 * At most {@link BroadcastConfig#maxUnjudgedPerPeer} items of one sender await the local verdict;
 * the rest wait, unseen, for a verdict to let them through.
 */
class PlumtreeSenderWindowTest {
  private static final NodeId SENDER = node(1);
  private static final NodeId OTHER = node(2);
  private static final NodeId THIRD = node(3);
  private static final NodeId ORIGIN = node(99);
  private static final int WINDOW = BroadcastConfig.DEFAULT_MAX_UNJUDGED_PER_PEER;

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  PlumtreeSenderWindowTest() {
    h.core.neighborUp(SENDER);
    h.core.neighborUp(OTHER);
    h.core.neighborUp(THIRD);
  }

  private List<Gossip> items(CoreHarness harness, String prefix, int n) {
    List<Gossip> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(harness.gossip(ORIGIN, 0, 1, prefix + i));
    }
    return items;
  }

  private static List<ItemId> ids(List<CoreHarness.Delivered> delivered) {
    return delivered.stream().map(CoreHarness.Delivered::id).toList();
  }

  @Test
  void aSendersItemsBeyondItsWindowAreHeldBackUntilAVerdict() {
    List<Gossip> flood = items(h, "item ", WINDOW + 2);
    flood.forEach(g -> h.receive(SENDER, g));

    assertThat(h.delivered).hasSize(WINDOW);
    assertThat(h.count(BroadcastCounter.ITEMS_HELD)).isEqualTo(2);
    assertThat(h.core.heldItems(SENDER)).isEqualTo(2);
  }

  @Test
  void eachVerdictLetsTheOldestHeldItemThroughInArrivalOrder() {
    List<Gossip> flood = items(h, "item ", WINDOW + 2);
    flood.forEach(g -> h.receive(SENDER, g));

    h.validated(flood.get(0).id(), Verdict.VALID);
    assertThat(ids(h.delivered)).last().isEqualTo(flood.get(WINDOW).id());
    h.validated(flood.get(1).id(), Verdict.UNWANTED);
    assertThat(ids(h.delivered)).last().isEqualTo(flood.get(WINDOW + 1).id());

    assertThat(ids(h.delivered)).containsExactlyElementsOf(flood.stream().map(Gossip::id).toList());
  }

  @Test
  void aFullWindowOfOneSenderDoesNotDelayAnother() {
    items(h, "flood ", WINDOW + 5).forEach(g -> h.receive(SENDER, g));
    Gossip honest = h.gossip(ORIGIN, 0, 1, "from the other");

    h.receive(OTHER, honest);

    assertThat(ids(h.delivered)).last().isEqualTo(honest.id());
  }

  @Test
  void aHeldItemThatAnotherNeighbourDeliversIsHandedOnOnceAndItsSenderIsNotPruned() {
    List<Gossip> flood = items(h, "item ", WINDOW + 1);
    flood.forEach(g -> h.receive(SENDER, g));
    Gossip held = flood.get(WINDOW);

    h.receive(OTHER, held);
    h.validated(flood.get(0).id(), Verdict.VALID);

    assertThat(ids(h.delivered)).filteredOn(held.id()::equals).hasSize(1);
    assertThat(h.delivered.getLast().from()).isEqualTo(OTHER);
    assertThat(h.sentOfKindTo(SENDER, Prune.class)).isEmpty();
    assertThat(h.core.heldItems(SENDER)).isZero();
  }

  @Test
  void aFloodOfInvalidItemsReachesTheModulesOnlyUntilTheBanPlusTheWindow() {
    h.bansAtPenalty = 4; // NodeCore's rule: the fourth INVALID_ITEM bans
    h.onDeliver = d -> {}; // verdicts come one by one, below, like a module's answers
    List<Gossip> flood = items(h, "invalid ", 200);
    flood.forEach(g -> h.receive(SENDER, g));

    for (int judged = 0; judged < h.delivered.size(); judged++) {
      h.validated(h.delivered.get(judged).id(), Verdict.INVALID);
    }

    // the window's items, and one more after each of the three verdicts before the ban
    assertThat(h.delivered).hasSize(WINDOW + 3);
    assertThat(h.core.heldItems(SENDER)).isZero();
  }

  @Test
  void heldItemsAreBoundedBySendersShareAndTheRestAreDroppedUnseen() {
    // 24 verdicts pending at most, three neighbours: each may hold 8
    CoreHarness small = new CoreHarness(BroadcastConfig.defaults().withMaxPendingValidations(24));
    small.core.neighborUp(SENDER);
    small.core.neighborUp(OTHER);
    small.core.neighborUp(THIRD);
    List<Gossip> flood = items(small, "item ", WINDOW + 8 + 1);
    flood.forEach(g -> small.receive(SENDER, g));

    assertThat(small.core.heldItems(SENDER)).isEqualTo(8);
    assertThat(small.count(BroadcastCounter.PENDING_OVERFLOWS)).isEqualTo(1);
    Gossip dropped = flood.getLast();
    small.receive(OTHER, dropped); // unseen: another copy still gets through
    assertThat(ids(small.delivered)).last().isEqualTo(dropped.id());
  }

  @Test
  void aNeighbourThatLeavesTakesItsHeldItemsWithIt() {
    List<Gossip> flood = items(h, "item ", WINDOW + 3);
    flood.forEach(g -> h.receive(SENDER, g));

    h.core.neighborDown(SENDER);
    h.validated(flood.get(0).id(), Verdict.VALID);

    assertThat(h.delivered).hasSize(WINDOW);
    assertThat(h.core.heldItems(SENDER)).isZero();
    Gossip again = flood.get(WINDOW);
    h.receive(OTHER, again); // held items were never marked seen
    assertThat(ids(h.delivered)).last().isEqualTo(again.id());
  }
}
