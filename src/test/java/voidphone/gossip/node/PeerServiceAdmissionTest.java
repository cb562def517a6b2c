package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The API listens a moment before the cores are attached: an ANNOUNCE in between must wait, not fail. */
class PeerServiceAdmissionTest {
  @Test
  void announcementsWaitWhileTheBroadcastCoreIsNotAttachedYet() {
    PeerService starting = new PeerService(null, () -> 0, PeerCache.none());

    assertThat(starting.admissionDelayMillis()).isPositive();
  }
}
