package voidphone.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReputationTest {
  private static final NodeId A = new NodeId(1, 0, 0, 0);
  private static final NodeId B = new NodeId(2, 0, 0, 0);
  private final Reputation rep = Reputation.withDefaults();

  @Test
  void oneInvalidItemDoesNotBan() {
    assertThat(rep.offend(A, Reputation.Offence.INVALID_ITEM, 0)).isFalse();
    assertThat(rep.banRemaining(A, 0)).isZero();
  }

  @Test
  void fourInvalidItemsInQuickSuccessionBan() {
    for (int i = 0; i < 3; i++) assertThat(rep.offend(A, Reputation.Offence.INVALID_ITEM, i)).isFalse();
    assertThat(rep.offend(A, Reputation.Offence.INVALID_ITEM, 3)).isTrue();
    assertThat(rep.banRemaining(A, 3)).isEqualTo(Duration.ofMinutes(10).toMillis());
  }

  @Test
  void offencesSpreadOverHoursNeverBan() {
    long hour = Duration.ofHours(1).toMillis();
    for (int i = 0; i < 50; i++) {
      assertThat(rep.offend(A, Reputation.Offence.INVALID_ITEM, i * hour)).isFalse();
    }
  }

  @Test
  void forgedItemBansAtOnce() {
    assertThat(rep.offend(A, Reputation.Offence.FORGED_ITEM, 0)).isTrue();
    assertThat(rep.banRemaining(B, 0)).isZero();
  }

  @Test
  void banEndsAfterItsDuration() {
    rep.offend(A, Reputation.Offence.PROTOCOL_VIOLATION, 0);
    assertThat(rep.banRemaining(A, Duration.ofMinutes(10).toMillis())).isZero();
  }

  @Test
  void eachRepeatedBanLastsTwiceAsLongUpToTheMaximum() {
    long t = 0;
    long expected = Duration.ofMinutes(10).toMillis();
    for (int i = 0; i < 12; i++) {
      assertThat(rep.offend(A, Reputation.Offence.PROTOCOL_VIOLATION, t)).isTrue();
      assertThat(rep.banRemaining(A, t)).isEqualTo(Math.min(expected, Duration.ofHours(24).toMillis()));
      t += rep.banRemaining(A, t);
      expected *= 2;
    }
  }

  @Test
  void rememberedPeersAreBoundedAndBansSurviveEviction() {
    Reputation small = new Reputation(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(24), 3);
    small.offend(A, Reputation.Offence.FORGED_ITEM, 0);
    for (int i = 10; i < 20; i++) small.offend(new NodeId(i, 0, 0, 0), Reputation.Offence.INVALID_ITEM, 1);
    assertThat(small.size()).isEqualTo(3);
    assertThat(small.banRemaining(A, 1)).isPositive();
  }
}
