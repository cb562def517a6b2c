package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/**
 * What one neighbour's GRAFTs and IHAVEs can make a node do ({@link PeerAllowance}): each rule,
 * hit by a hostile neighbour, and an honest one beside it unharmed.
 */
class PeerAllowanceTest {
  private static final NodeId HOSTILE = node(1);
  private static final NodeId HONEST = node(2);
  private static final NodeId ORIGIN = node(99);

  private final SplittableRandom random = new SplittableRandom(7);

  private static CoreHarness withLazyPeers(BroadcastConfig config, NodeId... peers) {
    CoreHarness h = new CoreHarness(config);
    for (NodeId peer : peers) {
      h.core.neighborUp(peer);
      h.receive(peer, new Prune());
    }
    return h;
  }

  private List<ItemId> unknownIds(int n) {
    List<ItemId> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(new ItemId(random.nextLong()));
    }
    return ids;
  }

  private static IHave ihave(List<ItemId> ids) {
    return new IHave(ids.stream().map(id -> new Announcement(id, 1)).toList());
  }

  @Test
  void aCachedItemIsAnsweredToOneNeighbourOnceHoweverOftenItIsGrafted() {
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults(), HOSTILE);
    ItemId id = h.core.broadcast(0, 1, new byte[] {1}, h.now());
    h.clearOutputs();

    for (int i = 0; i < 10; i++) {
      h.receive(HOSTILE, new Graft(List.of(id)));
    }

    assertThat(h.sentOfKindTo(HOSTILE, Gossip.class)).hasSize(1);
    assertThat(h.count(BroadcastCounter.GRAFTS_REFUSED)).isEqualTo(9);
  }

  @Test
  void graftAnswersToOneNeighbourStopAtTwiceTheRatePerSecond() {
    BroadcastConfig config = BroadcastConfig.defaults().withCacheSize(1000)
        .with(k -> k.graftAnswersPerSecond = 10);
    CoreHarness h = withLazyPeers(config, HOSTILE, HONEST);
    List<ItemId> items = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      items.add(h.core.broadcast(0, 1, new byte[] {(byte) i}, h.now()));
    }
    h.clearOutputs();

    h.receive(HOSTILE, new Graft(items));
    h.receive(HONEST, new Graft(items.subList(0, 5)));

    assertThat(h.sentOfKindTo(HOSTILE, Gossip.class)).hasSize(20); // the burst: two seconds' worth
    assertThat(h.sentOfKindTo(HONEST, Gossip.class)).hasSize(5); // its own allowance, untouched
  }

  @Test
  void graftAnswersResumeAtTheRateAsTimePasses() {
    BroadcastConfig config = BroadcastConfig.defaults().withCacheSize(1000)
        .with(k -> k.graftAnswersPerSecond = 10);
    CoreHarness h = withLazyPeers(config, HOSTILE);
    List<ItemId> items = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      items.add(h.core.broadcast(0, 1, new byte[] {(byte) i}, h.now()));
    }
    h.receive(HOSTILE, new Graft(items.subList(0, 20)));
    h.clearOutputs();

    h.advance(500);
    h.receive(HOSTILE, new Graft(items.subList(20, 40)));

    assertThat(h.sentOfKindTo(HOSTILE, Gossip.class)).hasSize(5);
  }

  @Test
  void oneAnnouncerHoldsNoMoreThanItsShareOfTheMissingItems() {
    BroadcastConfig config = BroadcastConfig.defaults().withMissingBounds(8, 100);
    CoreHarness h = withLazyPeers(config, HOSTILE, HONEST);

    h.receive(HOSTILE, ihave(unknownIds(1000)));
    List<ItemId> honestItems = unknownIds(PeerAllowance.MAX_OUTSTANDING_GRAFTS);
    h.receive(HONEST, ihave(honestItems));
    h.advance(config.graftTimeoutMillis());

    // two neighbours, a table of 100: fifty each, so the honest announcer's items all found room
    assertThat(h.count(BroadcastCounter.ANNOUNCEMENTS_DROPPED)).isEqualTo(1000 - 50);
    assertThat(h.sentOfKindTo(HONEST, Graft.class)).flatExtracting(Graft::ids)
        .containsExactlyInAnyOrderElementsOf(honestItems);
  }

  @Test
  void idsAnnouncedBeyondTheRateAreNotTracked() {
    BroadcastConfig config = BroadcastConfig.defaults().with(k -> k.announcedIdsPerSecond = 100);
    CoreHarness h = withLazyPeers(config, HOSTILE);

    h.receive(HOSTILE, ihave(unknownIds(1000)));

    assertThat(h.count(BroadcastCounter.ANNOUNCEMENTS_DROPPED)).isEqualTo(800);
  }

  @Test
  void atMostEightGraftsAwaitOneAnnouncersAnswerAtOnce() {
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults().withGraftTimeouts(80, 40), HOSTILE);

    h.receive(HOSTILE, ihave(unknownIds(100)));
    h.advance(80);

    assertThat(h.sentOfKindTo(HOSTILE, Graft.class)).hasSize(PeerAllowance.MAX_OUTSTANDING_GRAFTS);
  }

  @Test
  void anItemWaitingForABusyAnnouncerIsGraftedFromAnotherThatIsFree() {
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults().withGraftTimeouts(80, 40), HOSTILE, HONEST);
    List<ItemId> ids = unknownIds(20);
    h.receive(HOSTILE, ihave(ids));
    h.receive(HONEST, ihave(ids));

    h.advance(80);

    assertThat(h.sentOfKindTo(HOSTILE, Graft.class)).hasSize(8);
    assertThat(h.sentOfKindTo(HONEST, Graft.class)).hasSize(8); // the next eight; four wait their turn
  }

  @Test
  void anAnnouncerThatLeavesGraftsUnansweredIsPenalisedAndAnHonestOneIsNot() {
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults().withGraftTimeouts(80, 40), HOSTILE, HONEST);
    Gossip real = h.gossip(ORIGIN, 0, 1, "real");
    h.receive(HONEST, ihave(List.of(real.id())));
    h.advance(80);
    h.receive(HONEST, real); // the honest announcer answers its GRAFT

    for (int round = 0; round < 5; round++) { // eight GRAFTs a round, strikes once their grace is over
      h.receive(HOSTILE, ihave(unknownIds(8)));
      h.advance(80 + 40 + PeerAllowance.LATE_ANSWER_GRACE_MILLIS);
    }

    assertThat(h.penalties).isNotEmpty()
        .allSatisfy(p -> assertThat(p).isEqualTo(new CoreHarness.Penalty(HOSTILE, Reputation.Offence.FALSE_ANNOUNCEMENT)));
  }

  @Test
  void eachUnansweredGraftHalvesTheAnnouncersShareOfTheMissingItems() {
    BroadcastConfig config = BroadcastConfig.defaults().withGraftTimeouts(80, 40).withMissingBounds(8, 1024);
    CoreHarness h = withLazyPeers(config, HOSTILE);
    h.receive(HOSTILE, ihave(unknownIds(4)));
    h.advance(80 + 40); // four GRAFTs, none answered: four strikes
    h.clearOutputs();

    h.receive(HOSTILE, ihave(unknownIds(1000)));

    // its share was the whole table (its only neighbour), now 1024 >> 4
    assertThat(h.count(BroadcastCounter.ANNOUNCEMENTS_DROPPED)).isEqualTo(1000 - 1024 / 16);
  }

  @Test
  void aGraftAnsweredLateButWithinItsGraceIsNoOffence() {
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults().withGraftTimeouts(80, 40), HONEST);

    for (int i = 0; i < 100; i++) { // a stalled peer: each answer comes 500 ms after the GRAFT
      Gossip item = h.gossip(ORIGIN, i, 1, "item " + i);
      h.receive(HONEST, ihave(List.of(item.id())));
      h.advance(80 + 500);
      h.receive(HONEST, item);
    }
    h.advance(PeerAllowance.LATE_ANSWER_GRACE_MILLIS);
    h.receive(HONEST, ihave(unknownIds(1))); // makes due strikes count

    assertThat(h.sentOfKindTo(HONEST, Graft.class)).hasSize(100);
    assertThat(h.penalties).isEmpty();
  }

  @Test
  void aLateAnswerThatArrivesAfterAnotherPeersCopyStillClearsTheGraft() {
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults().withGraftTimeouts(80, 40), HOSTILE, HONEST);
    Gossip item = h.gossip(ORIGIN, 0, 1, "item");
    h.receive(HONEST, ihave(List.of(item.id())));
    h.advance(80 + 40);
    assertThat(h.core.overdueGrafts(HONEST)).as("the GRAFT to HONEST, overdue").isOne();
    h.receive(HOSTILE, item);

    h.receive(HONEST, item); // its late answer, a duplicate now

    assertThat(h.core.overdueGrafts(HONEST)).isZero();
  }

  @Test
  void aGraftUnansweredPastItsGraceIsAStrike() {
    BroadcastConfig config = BroadcastConfig.defaults().withGraftTimeouts(80, 40).withMissingBounds(8, 1024);
    CoreHarness h = withLazyPeers(config, HOSTILE);
    h.receive(HOSTILE, ihave(unknownIds(1)));
    h.advance(80 + 40 + PeerAllowance.LATE_ANSWER_GRACE_MILLIS);
    h.receive(HOSTILE, ihave(unknownIds(1))); // GRAFTed 80 ms later: the strike falls due then
    h.advance(80);
    h.clearOutputs();

    h.receive(HOSTILE, ihave(unknownIds(1000)));

    // one strike and one overdue-or-outstanding GRAFT: 1024 >> 1 (the second is not yet overdue)
    assertThat(h.count(BroadcastCounter.ANNOUNCEMENTS_DROPPED)).isEqualTo(1000 - (1024 / 2 - 1));
  }

  @Test
  void aPeerWithOverdueGraftsIsNotAskedForMoreUntilItCatchesUp() {
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults().withGraftTimeouts(80, 40), HOSTILE);
    h.receive(HOSTILE, ihave(unknownIds(8)));
    h.advance(80 + 40); // eight GRAFTs overdue
    h.clearOutputs();

    h.receive(HOSTILE, ihave(unknownIds(8)));
    h.advance(80 + 40);

    assertThat(h.sentOfKindTo(HOSTILE, Graft.class)).isEmpty();
  }

  @Test
  void aGraftOutstandingWhenTheItemsOtherAnnouncerLeavesStillEndsAndFreesTheAnnouncer() {
    NodeId other = node(3);
    CoreHarness h = withLazyPeers(BroadcastConfig.defaults().withGraftTimeouts(80, 40), HONEST, other);
    for (ItemId id : unknownIds(PeerAllowance.MAX_OUTSTANDING_GRAFTS)) {
      h.receive(HONEST, ihave(List.of(id)));
      h.receive(other, ihave(List.of(id)));
    }
    h.advance(80); // eight GRAFTs to HONEST, the other announcer next in line for each
    h.core.neighborDown(other);
    h.advance(40 + PeerAllowance.LATE_ANSWER_GRACE_MILLIS); // unanswered: overdue, then strikes
    h.clearOutputs();

    ItemId onlyFromHonest = unknownIds(1).getFirst();
    h.receive(HONEST, ihave(List.of(onlyFromHonest)));
    h.advance(80);

    assertThat(h.sentOfKindTo(HONEST, Graft.class)).flatExtracting(Graft::ids).containsExactly(onlyFromHonest);
  }
}
