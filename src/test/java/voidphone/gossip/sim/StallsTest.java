package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code --stalls SHARE:PAUSE_MS:PERIOD_MS} setting of the simulator. */
class StallsTest {
  @Test
  void parsesShareThenPauseThenPeriod() {
    assertThat(Stalls.parse("0.2:1000:4000")).isEqualTo(new Stalls(0.2, 1_000, 4_000));
  }

  @Test
  void aPauseAsLongAsItsPeriodIsRefused() {
    assertThatThrownBy(() -> Stalls.parse("0.2:4000:4000"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than the period");
  }

  @Test
  void aSettingWithoutThreePartsIsRefusedWithItsForm() {
    assertThatThrownBy(() -> Stalls.parse("0.2:1000"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHARE:PAUSE_MS:PERIOD_MS");
  }

  @Test
  void theDefaultStallsNobody() {
    assertThat(Stalls.parse("0:0:1").any()).isFalse();
  }
}
