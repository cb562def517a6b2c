package voidphone.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void aFullBucketGivesItsBurstAtOnceThenNothing() {
    TokenBucket bucket = new TokenBucket(10, 20);
    int taken = 0;
    while (bucket.tryAcquire(1_000)) {
      taken++;
    }
    assertThat(taken).isEqualTo(20);
  }

  @Test
  void tokensComeBackAtTheRate() {
    TokenBucket bucket = new TokenBucket(10, 20);
    while (bucket.tryAcquire(0)) {
      // empty it
    }
    assertThat(bucket.available(300)).isEqualTo(3);
  }

  @Test
  void savedTokensNeverExceedTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 20);
    bucket.tryAcquire(0);
    assertThat(bucket.available(3_600_000)).isEqualTo(20);
  }

  @Test
  void aClockThatGoesBackGivesNoTokens() {
    TokenBucket bucket = new TokenBucket(10, 1);
    bucket.tryAcquire(5_000);
    assertThat(bucket.tryAcquire(1_000)).isFalse();
  }

  @Test
  void aRateOrBurstThatCannotGiveATokenIsRefused() {
    assertThatThrownBy(() -> new TokenBucket(0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(5, 0.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChargeBeyondWhatIsLeftSaysHowLongTheDebtTakesToPay() {
    TokenBucket bucket = new TokenBucket(10, 20);

    assertThat(bucket.charge(20, 0)).isZero();
    assertThat(bucket.charge(5, 0)).isEqualTo(500); // 5 tokens in debt at 10 a second
    assertThat(bucket.available(500)).isZero();
    assertThat(bucket.available(600)).isEqualTo(1);
  }
}
