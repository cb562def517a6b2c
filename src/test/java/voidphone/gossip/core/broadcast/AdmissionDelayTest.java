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

  private static void announce(CoreHarness h, int count) {
    for (int i = 0; i < count; i++) {
      h.core.broadcast(0, 7, new byte[] {(byte) i}, h.now());
    }
  }

  @Test
  void theFirstAnnouncementDoesNotWait() {
    CoreHarness h = harness(BroadcastConfig.defaults());

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void localAnnouncementsAreSpacedSoThatTheCacheWouldHoldThemForTheRetention() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    announce(h, 1);

    assertThat(h.core.admissionDelayMillis(h.now())).isEqualTo(RETENTION / CACHE);
    h.advance(RETENTION / CACHE);
    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void aFullCacheOfFreshItemsMakesTheNextAnnouncementWaitUntilItsOldestIsOldEnough() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    announce(h, CACHE);
    h.advance(100);

    assertThat(h.core.admissionDelayMillis(h.now())).isEqualTo(RETENTION - 100);
  }

  @Test
  void announcementsDoNotWaitOnceTheOldestCachedItemIsOldEnough() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    announce(h, CACHE);
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
    announce(h, CACHE * 2);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void aNodeWithoutNeighboursNeverMakesAnnouncementsWait() {
    CoreHarness h = harness(BroadcastConfig.defaults());
    h.core.neighborDown(NEIGHBOR);
    announce(h, CACHE * 2);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }

  @Test
  void aRetentionOfZeroNeverMakesAnnouncementsWait() {
    CoreHarness h = new CoreHarness(BroadcastConfig.defaults().withCacheSize(CACHE).withMinCacheRetention(0));
    h.core.neighborUp(NEIGHBOR);
    announce(h, CACHE * 2);

    assertThat(h.core.admissionDelayMillis(h.now())).isZero();
  }
}
