package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How long caches keep items at the rate new ids are learned of. */
class ItemRateTest {
  private final ItemRate rate = new ItemRate(50);

  private void learnEvery(long gapMillis, int count, long from) {
    for (int i = 0; i < count; i++) {
      rate.learned(from + i * gapMillis);
    }
  }

  @Test
  void tooFewIdsSayNothing() {
    learnEvery(10, ItemRate.MIN_IDS - 1, 0);

    assertThat(rate.retentionMillis(100)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void fewerIdsThanTheCacheHoldsAreExtrapolated() {
    learnEvery(10, 10, 0); // 10 ids over 100 ms (counting the gap to now): 50 take 500 ms

    assertThat(rate.retentionMillis(100)).isEqualTo(500);
  }

  @Test
  void aFullWindowIsTheAgeOfItsOldestId() {
    learnEvery(10, 120, 0); // the 50 newest were learned at 700..1190 ms

    assertThat(rate.retentionMillis(1200)).isEqualTo(500);
  }

  @Test
  void aQuietNetworkKeepsItemsLonger() {
    learnEvery(10, 50, 0);

    assertThat(rate.retentionMillis(5000)).isEqualTo(5000);
  }
}
