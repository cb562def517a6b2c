package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimLinkTest {

  @Test
  void anEndThatPausedReadingHoldsWhatArrivesAndGivesItBackInOrder() {
    SimLink link = new SimLink(0, 1);
    link.pauseReading(1, 100);

    assertThat(link.holdsAt(1, 50)).isTrue();
    assertThat(link.hold(1, "first")).isTrue(); // the first held: a resume is due
    assertThat(link.hold(1, "second")).isFalse();

    assertThat(link.nextHeld(1)).isEqualTo("first");
    assertThat(link.nextHeld(1)).isEqualTo("second");
    assertThat(link.nextHeld(1)).isNull();
  }

  @Test
  void whatArrivesAfterThePauseWaitsBehindTheBacklog() {
    SimLink link = new SimLink(0, 1);
    link.pauseReading(1, 100);
    link.hold(1, "held");

    assertThat(link.holdsAt(1, 150)).isTrue();
    link.nextHeld(1);
    assertThat(link.holdsAt(1, 150)).isFalse();
  }

  @Test
  void aPauseAtOneEndLeavesTheOtherReading() {
    SimLink link = new SimLink(0, 1);
    link.pauseReading(1, 100);

    assertThat(link.holdsAt(0, 50)).isFalse();
  }
}
