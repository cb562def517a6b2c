package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;

/**
 * Local announcements wait while the payload cache turns over faster than {@code
 * minCacheRetentionMillis}: a GRAFT must still find an item in its announcer's cache.
 */
class AdmissionDelayTest {
  private static final int CACHE = 3;
  private static final long RETENTION = 200;

  private static final NodeId NEIGHBOR = CoreHarness.node(1);

  /** A core with one neighbour: someone who could GRAFT from it. */
  private static CoreHarness harness(BroadcastConfig config) {
    CoreHarness h = new CoreHarness(config.withCacheSize(CACHE).withMinCacheRetention(RETENTION));
    h.core.neighborUp(NEIGHBOR);
    return h;
  }

  @Test
  void theFirstAnnouncementDoesNotWait() {
    CoreHarness h = harness(BroadcastConfig.defaults());

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void localAnnouncementsAreSpacedSoThatTheCacheWouldHoldThemForTheRetention() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    h.broadcastMany(1);

    assertThat(h.core.admissionDelayMillis(h.now())).isEqualTo(RETENTION / CACHE);
    h.advance(RETENTION / CACHE);
    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void aFullCacheOfFreshItemsMakesTheNextAnnouncementWaitUntilItsOldestIsOldEnough() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    h.broadcastMany(CACHE);
    h.advance(100);

    assertThat(h.core.admissionDelayMillis(h.now())).isEqualTo(RETENTION - 100);
  }

  @Test
  void announcementsDoNotWaitOnceTheOldestCachedItemIsOldEnough() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    h.broadcastMany(CACHE);
    h.advance(RETENTION);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void itemsFromPeersCountTowardsTheCacheTurnover() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    for (int i = 0; i < CACHE; i++) receiveFromPeer(h, "remote " + i);

    assertThat(h.core.admissionDelayMillis(h.now())).isEqualTo(RETENTION);
  }

  @Test
  void itemsFromPeersFasterThanTheRatePaceTheNextLocalItemWhileTheCacheHasRoom() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    receiveFromPeer(h, "remote 0");
    receiveFromPeer(h, "remote 1");

    // two items in no time: the stream is one interval ahead, less the one interval of tolerance
    assertThat(h.core.admissionDelayMillis(h.now())).isEqualTo(RETENTION / CACHE);
  }

  @Test
  void aFloodFromPeersHoldsLocalItemsBackNoLongerThanTheCacheAgeRuleWould() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    for (int i = 0; i < CACHE * 10; i++) receiveFromPeer(h, "remote " + i);
    h.advance(RETENTION);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void aStreamAboveTheRateMakesEveryLocalItemWaitALittleInsteadOfOneItemWaitingLong() {
    // the defaults: 50 items per 250 ms, an interval of 5 ms; a peer's item and then a local one,
    // each local one announced as soon as admitted: twice the rate if nothing waited
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults());
    h.core.neighborUp(NEIGHBOR);
    long interval = BroadcastConfig.DEFAULT_MIN_CACHE_RETENTION_MILLIS / BroadcastConfig.DEFAULT_CACHE_SIZE;
    long start = h.now();
    long longestWait = 0;
    int pairs = 10 * BroadcastConfig.DEFAULT_CACHE_SIZE;
    for (int i = 0; i < pairs; i++) {
      receiveFromPeer(h, "remote " + i);
      h.advance(1);
      long wait = h.core.admissionDelayMillis(h.now());
      longestWait = Math.max(longestWait, wait);
      h.advance(wait);
      h.core.broadcast(0, 1, new byte[] {(byte) i, (byte) (i >> 8)}, h.now());
      h.advance(1);
    }

    assertThat(longestWait).isLessThanOrEqualTo(2 * interval);
    assertThat(h.now() - start).as("the stream still runs at the rate").isGreaterThanOrEqualTo((2L * pairs - 2) * interval);
  }

  @Test
  void theFloodingBaselineNeverMakesAnnouncementsWait() {
    CoreHarness h = harness(BroadcastConfig.defaults().withFlood(true));
    h.broadcastMany(CACHE * 2);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void aNodeWithoutNeighboursNeverMakesAnnouncementsWait() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    h.core.neighborDown(NEIGHBOR);
    h.broadcastMany(CACHE * 2);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void aRetentionOfZeroNeverMakesAnnouncementsWait() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withCacheSize(CACHE).withMinCacheRetention(0));
    h.core.neighborUp(NEIGHBOR);
    h.broadcastMany(CACHE * 2);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  /** A new item from the neighbour, judged valid: it enters the payload cache now. */
  private static void receiveFromPeer(CoreHarness h, String text) {
    BroadcastMessage.Gossip g = h.gossip(NEIGHBOR, 0, 1, text);
    h.receive(NEIGHBOR, g);
    h.validated(g.id(), Verdict.VALID);
  }
}
