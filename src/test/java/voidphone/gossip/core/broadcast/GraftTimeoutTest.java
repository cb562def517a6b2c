package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The estimator behind the learned GRAFT wait, on its own. */
class GraftTimeoutTest {
  private final GraftTimeout timeout = new GraftTimeout(80, 1000, 2);

  @Test
  void waitsTheLeastBeforeAnyEagerCopyWasTimed() {
    assertThat(timeout.current()).isEqualTo(80);
  }

  @Test
  void waitsLongerOnceEagerCopiesComeLaterThanTheLeastWait() {
    for (int i = 0; i < 50; i++) {
      timeout.sample(200);
    }

    assertThat(timeout.current()).isGreaterThan(200).isLessThan(1000);
  }

  @Test
  void neverWaitsLessThanTheLeastWhenCopiesComeQuickly() {
    for (int i = 0; i < 50; i++) {
      timeout.sample(1);
    }

    assertThat(timeout.current()).isEqualTo(80);
  }

  @Test
  void neverWaitsMoreThanTheMostHoweverLateCopiesCome() {
    for (int i = 0; i < 50; i++) {
      timeout.sample(60_000);
    }

    assertThat(timeout.current()).isEqualTo(1000);
  }

  @Test
  void shortensAgainWhenTheTreeSpeedsUp() {
    for (int i = 0; i < 50; i++) {
      timeout.sample(400);
    }
    for (int i = 0; i < 100; i++) {
      timeout.sample(10);
    }

    assertThat(timeout.current()).isEqualTo(80);
  }

  @Test
  void aFixedRangeNeverMoves() {
    GraftTimeout fixed = new GraftTimeout(250, 250, 2);
    fixed.sample(900);

    assertThat(fixed.current()).isEqualTo(250);
  }
}
