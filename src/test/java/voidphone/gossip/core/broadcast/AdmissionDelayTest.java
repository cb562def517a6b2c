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
    for (int i = 0; i < CACHE; i++) {
      BroadcastMessage.Gossip g = h.gossip(NEIGHBOR, 0, 1, "remote " + i);
      h.receive(NEIGHBOR, g);
      h.validated(g.id(), Verdict.VALID);
    }

    assertThat(h.core.admissionDelayMillis(h.now())).isEqualTo(RETENTION);
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
}
