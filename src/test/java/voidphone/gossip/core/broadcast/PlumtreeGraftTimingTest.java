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

/**
 * How long the core waits before a GRAFT: learned from eager copies that arrive after their IHAVE,
 * never from a GRAFT's answer, and never longer than the payload cache keeps items.
 */
class PlumtreeGraftTimingTest {
  private static final NodeId EAGER = node(1);
  private static final NodeId LAZY = node(2);
  private static final NodeId ORIGIN = node(99);
  private static final long LEAST = BroadcastConfig.DEFAULT_GRAFT_TIMEOUT_MILLIS;

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  PlumtreeGraftTimingTest() {
    h.core.neighborUp(EAGER);
    h.core.neighborUp(LAZY);
    h.receive(LAZY, new Prune());
  }

  private static IHave ihave(Gossip g) {
    return new IHave(List.of(new Announcement(g.id(), g.hops())));
  }

  /** LAZY announces an item, EAGER pushes it {@code lateBy} ms later. */
  private void eagerCopyAfterItsIhave(long lateBy) {
    Gossip g = h.gossip(ORIGIN, 0, 3, "late");
    h.receive(LAZY, ihave(g));
    h.advance(lateBy);
    h.receive(EAGER, g);
    h.validated(g.id(), Verdict.VALID);
  }

  @Test
  void startsWithTheConfiguredLeastWait() {
    assertThat(h.core.graftTimeoutMillis()).isEqualTo(LEAST);
  }

  @Test
  void eagerCopiesArrivingCloseToTheTimeoutLengthenTheWait() {
    for (int i = 0; i < 10; i++) {
      eagerCopyAfterItsIhave(LEAST - 10);
    }

    assertThat(h.core.graftTimeoutMillis()).isGreaterThan(LEAST);
  }

  @Test
  void aLengthenedWaitDelaysTheNextGraft() {
    for (int i = 0; i < 10; i++) {
      eagerCopyAfterItsIhave(LEAST - 10);
    }
    h.clearOutputs();
    Gossip g = h.gossip(ORIGIN, 0, 3, "missing");

    h.receive(LAZY, ihave(g));
    h.advance(LEAST);

    assertThat(h.sentOfKind(Graft.class)).isEmpty();
    h.advance(h.core.graftTimeoutMillis());
    assertThat(h.sentOfKindTo(LAZY, Graft.class)).containsExactly(new Graft(List.of(g.id())));
  }

  /** Lengthens the learned wait, then GRAFTs {@code first} from LAZY after that wait. */
  private void graftedAfterALengthenedWait(Gossip first) {
    for (int i = 0; i < 10; i++) {
      eagerCopyAfterItsIhave(LEAST - 10);
    }
    h.receive(LAZY, ihave(first));
    h.advance(h.core.graftTimeoutMillis());
    assertThat(h.sentOfKindTo(LAZY, Graft.class)).containsExactly(new Graft(List.of(first.id())));
    h.clearOutputs();
  }

  @Test
  void withinAGraftRoundTripTheNextMissingItemWaitsOnlyTheLeastWait() {
    graftedAfterALengthenedWait(h.gossip(ORIGIN, 0, 3, "first"));
    assertThat(h.core.graftTimeoutMillis()).isGreaterThan(LEAST);
    Gossip g = h.gossip(ORIGIN, 0, 3, "missing too");

    h.receive(LAZY, ihave(g)); // at once: our GRAFT is still on its way
    h.advance(LEAST);

    assertThat(h.sentOfKindTo(LAZY, Graft.class)).containsExactly(new Graft(List.of(g.id())));
  }

  @Test
  void aGraftRoundTripLaterTheLearnedWaitAppliesAgain() {
    Gossip first = h.gossip(ORIGIN, 0, 3, "first");
    graftedAfterALengthenedWait(first);
    h.receive(LAZY, first); // answered at once
    h.validated(first.id(), Verdict.VALID);
    h.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);
    h.clearOutputs();
    Gossip g = h.gossip(ORIGIN, 0, 3, "missing");

    h.receive(LAZY, ihave(g));
    h.advance(LEAST);

    assertThat(h.sentOfKind(Graft.class)).isEmpty();
  }

  /**
   * Fifty local items 30 ms apart: caches turn over in about 1.5 s, fast enough that the cap on the
   * wait could bind (a third of that against the 1 s most), too slow for it to bind on a learned
   * wait of a few hundred milliseconds.
   */
  private void cachesTurnOverInAboutOneAndAHalfSeconds() {
    for (int i = 0; i < BroadcastConfig.DEFAULT_CACHE_SIZE; i++) {
      h.core.broadcast(0, 1, new byte[] {(byte) i}, h.now());
      h.advance(30);
    }
    h.clearOutputs();
  }

  /** A second lazy neighbour, to announce an item LAZY announced too. */
  private NodeId secondLazyNeighbour() {
    NodeId peer = node(3);
    h.core.neighborUp(peer);
    h.receive(peer, new Prune());
    return peer;
  }

  /**
   * {@code g} is announced by LAZY a learned wait before this node GRAFTs another item (so it is
   * repairing), then by a second announcer right after that GRAFT.
   */
  private void announcedBeforeAndAgainAfterARepairBegan(Gossip g) {
    NodeId secondAnnouncer = secondLazyNeighbour();
    for (int i = 0; i < 10; i++) {
      eagerCopyAfterItsIhave(LEAST - 10);
    }
    long learned = h.core.graftTimeoutMillis();
    assertThat(learned).isGreaterThan(LEAST + 1);
    Gossip first = h.gossip(ORIGIN, 0, 3, "first");
    h.receive(LAZY, ihave(first));
    h.advance(learned - 1);
    h.receive(LAZY, ihave(g)); // due a learned wait from now
    h.advance(1); // first is GRAFTed: this node is repairing
    h.clearOutputs();
    h.receive(secondAnnouncer, ihave(g)); // calls for the least wait
  }

  @Test
  void whenCachesTurnOverFastAnItemAnnouncedAgainWhileRepairingIsGraftedAfterTheLeastWait() {
    cachesTurnOverInAboutOneAndAHalfSeconds();
    Gossip g = h.gossip(ORIGIN, 0, 3, "announced before the repair");
    announcedBeforeAndAgainAfterARepairBegan(g);

    h.advance(LEAST);

    assertThat(h.sentOfKindTo(LAZY, Graft.class)).containsExactly(new Graft(List.of(g.id())));
  }

  @Test
  void whileCachesKeepItemsForSecondsAnItemAnnouncedAgainKeepsItsFirstWait() {
    Gossip g = h.gossip(ORIGIN, 0, 3, "announced before the repair");
    announcedBeforeAndAgainAfterARepairBegan(g);

    h.advance(LEAST);

    assertThat(h.sentOfKind(Graft.class)).isEmpty();
  }

  @Test
  void aLaterAnnouncementCallingForALongerWaitDoesNotDelayTheGraft() {
    cachesTurnOverInAboutOneAndAHalfSeconds();
    NodeId secondAnnouncer = secondLazyNeighbour();
    graftedAfterALengthenedWait(h.gossip(ORIGIN, 0, 3, "first"));
    Gossip g = h.gossip(ORIGIN, 0, 3, "missing");
    h.receive(LAZY, ihave(g)); // repairing: due the least wait from now
    h.advance(BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS); // no longer repairing

    h.receive(secondAnnouncer, ihave(g)); // would be due the learned wait from now
    h.advance(LEAST - BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS);

    assertThat(h.sentOfKindTo(LAZY, Graft.class)).containsExactly(new Graft(List.of(g.id())));
  }

  @Test
  void aNodeWithNoEagerPeerGraftsAnAnnouncedItemAtOnce() {
    CoreHarness alone = new CoreHarness(BroadcastConfig.defaults());
    alone.core.neighborUp(LAZY);
    alone.receive(LAZY, new Prune());
    Gossip g = alone.gossip(ORIGIN, 0, 3, "missing");

    alone.receive(LAZY, ihave(g));
    alone.advance(1);

    assertThat(alone.sentOfKindTo(LAZY, Graft.class)).containsExactly(new Graft(List.of(g.id())));
  }

  @Test
  void theAnswerToAGraftTeachesNothing() {
    Gossip g = h.gossip(ORIGIN, 0, 3, "grafted");
    h.receive(LAZY, ihave(g));
    h.advance(LEAST);
    h.advance(500); // the GRAFT's answer comes very late: a slow announcer, not a slow tree

    h.receive(LAZY, g);

    assertThat(h.core.graftTimeoutMillis()).isEqualTo(LEAST);
  }

  @Test
  void anEagerCopyBehindAGraftsAnswerShowsTheGraftWasNeedless() {
    Gossip g = h.gossip(ORIGIN, 0, 3, "grafted");
    h.receive(LAZY, ihave(g));
    h.advance(LEAST + 5);
    h.receive(LAZY, g); // the GRAFT's answer
    h.validated(g.id(), Verdict.VALID);
    h.advance(200);

    h.receive(EAGER, g); // the eager copy was on its way all along

    assertThat(h.core.graftTimeoutMillis()).isGreaterThan(LEAST);
  }

  @Test
  void graftedItemsAwaitingTheirEagerCopyAreBounded() {
    for (int i = 0; i < 1100; i++) {
      Gossip g = h.gossip(ORIGIN, 0, 3, "grafted " + i);
      h.receive(LAZY, ihave(g));
      h.advance(h.core.graftTimeoutMillis());
      h.receive(LAZY, g);
      h.validated(g.id(), Verdict.VALID);
    }

    assertThat(h.core.graftedItemsRemembered()).isEqualTo(1024);
  }

  @Test
  void theWaitStaysWithinAThirdOfTheTimeTheCacheKeepsItems() {
    CoreHarness fast = smallCache();
    for (int i = 0; i < 10; i++) { // ten items 6 ms apart fill the cache: kept about 60 ms
      fast.core.broadcast(0, 1, new byte[] {(byte) i}, fast.now());
      fast.advance(6);
    }
    fast.clearOutputs();
    Gossip g = fast.gossip(ORIGIN, 0, 3, "missing");

    fast.receive(LAZY, ihave(g));
    fast.advance(20);

    assertThat(fast.sentTo(LAZY)).contains(new Graft(List.of(g.id())));
  }

  @Test
  void aNodeThatStopsReceivingItemsStillGraftsAtTheNetworksPace() {
    NodeId other = node(3);
    CoreHarness fast = smallCache();
    fast.core.neighborUp(other);
    fast.receive(other, new Prune());
    for (int i = 0; i < 10; i++) { // the cache fills at one item per 6 ms...
      fast.core.broadcast(0, 1, new byte[] {(byte) i}, fast.now());
      fast.advance(6);
    }
    for (int i = 0; i < 20; i++) { // ...then its tree link breaks: only IHAVEs come, at that rate
      fast.receive(other, ihave(fast.gossip(ORIGIN, 0, 3, "missed " + i)));
      fast.advance(6);
    }
    fast.clearOutputs();
    Gossip g = fast.gossip(ORIGIN, 0, 3, "missing");

    fast.receive(LAZY, ihave(g));
    fast.advance(20); // the announcers' caches keep items about 60 ms, however old ours are

    assertThat(fast.sentTo(LAZY)).contains(new Graft(List.of(g.id())));
  }

  private static CoreHarness smallCache() {
    BroadcastConfig d = BroadcastConfig.defaults();
    CoreHarness fast = new CoreHarness(d.withCacheSize(10).withIHaveBatching(
        50, d.ihaveMaxIds(), d.ihaveMaxMessagesPerFlush(), d.lazyQueueMaxIds()));
    fast.core.neighborUp(LAZY);
    fast.receive(LAZY, new Prune());
    return fast;
  }

  @Test
  void slowGraftAnswersLengthenTheWaitBeforeAskingTheNextAnnouncer() {
    long retry = BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS;
    for (int i = 0; i < 10; i++) {
      Gossip g = h.gossip(ORIGIN, 0, 3, "slow answer " + i);
      h.receive(LAZY, ihave(g));
      h.advance(h.core.graftTimeoutMillis());
      h.advance(retry - 5); // the answer comes just before the retry would have fired
      h.receive(LAZY, g);
      h.validated(g.id(), Verdict.VALID);
    }

    assertThat(h.core.graftRetryMillis()).isGreaterThan(retry);
  }

  @Test
  void fixedTimersLearnNothing() {
    CoreHarness fixed = new CoreHarness(BroadcastConfig.defaults().withGraftTimeouts(80, 40));
    fixed.core.neighborUp(EAGER);
    fixed.core.neighborUp(LAZY);
    fixed.receive(LAZY, new Prune());
    for (int i = 0; i < 10; i++) { // eager copies close to the timeout
      Gossip g = fixed.gossip(ORIGIN, 0, 3, "late " + i);
      fixed.receive(LAZY, ihave(g));
      fixed.advance(70);
      fixed.receive(EAGER, g);
      fixed.validated(g.id(), Verdict.VALID);
    }
    for (int i = 0; i < 10; i++) { // GRAFT answers close to the retry
      Gossip g = fixed.gossip(ORIGIN, 0, 3, "slow answer " + i);
      fixed.receive(LAZY, ihave(g));
      fixed.advance(80);
      fixed.advance(35);
      fixed.receive(LAZY, g);
      fixed.validated(g.id(), Verdict.VALID);
    }

    assertThat(fixed.core.graftTimeoutMillis()).isEqualTo(80);
    assertThat(fixed.core.graftRetryMillis()).isEqualTo(40);
  }

  @Test
  void announcementsWaitNoLongerThanAQuarterOfTheTimeTheCacheKeepsItems() {
    BroadcastConfig d = BroadcastConfig.defaults();
    CoreHarness fast = new CoreHarness(d.withCacheSize(10).withIHaveBatching(
        50, d.ihaveMaxIds(), d.ihaveMaxMessagesPerFlush(), d.lazyQueueMaxIds()));
    fast.core.neighborUp(EAGER); // with no eager peer, a local item would be pushed to LAZY
    fast.core.neighborUp(LAZY);
    fast.receive(LAZY, new Prune());
    for (int i = 0; i < 10; i++) { // ten items 2 ms apart fill the cache
      fast.core.broadcast(0, 1, new byte[] {(byte) i}, fast.now());
      fast.advance(2);
    }
    fast.advance(60); // their IHAVE has gone out; nothing is queued
    fast.clearOutputs();

    fast.core.broadcast(0, 1, new byte[] {42}, fast.now()); // the oldest cached item is now 76 ms old
    fast.advance(76 / 4); // the configured batching alone would wait 50 ms

    assertThat(fast.sentOfKindTo(LAZY, IHave.class)).isNotEmpty();
  }
}
