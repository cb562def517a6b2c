package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BroadcastConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    BroadcastConfig c = BroadcastConfig.defaults();

    assertThat(c.cacheSize()).isEqualTo(50);
    assertThat(c.graftTimeoutMillis()).isEqualTo(80);
    assertThat(c.graftTimeoutMaxMillis()).isEqualTo(1000);
    assertThat(c.graftRetryMillis()).isEqualTo(40);
    assertThat(c.ihaveFlushMillis()).isEqualTo(150);
    assertThat(c.ihaveFanoutMin()).isEqualTo(6);
    assertThat(c.ihaveFanoutPercent()).isEqualTo(25);
    assertThat(c.flood()).isFalse();
  }

  @Test
  void zeroCacheSizeIsRejectedWithTheFieldNamed() {
    assertThatThrownBy(() -> BroadcastConfig.defaults().withCacheSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache size");
  }

  @Test
  void ihaveBatchLargerThanTheWireAllowsIsRejected() {
    assertThatThrownBy(
            () -> BroadcastConfig.defaults()
                .withIHaveBatching(5, BroadcastMessage.MAX_IHAVE_ENTRIES + 1, 4, 4096))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IHAVE max ids");
  }

  @Test
  void ihaveFanoutIsTheShareRoundedUpButAtLeastTheMinimumAndAtMostAll() {
    BroadcastConfig c = BroadcastConfig.defaults();

    assertThat(c.ihaveFanout(29)).isEqualTo(8);
    assertThat(c.ihaveFanout(100)).isEqualTo(25);
    assertThat(c.ihaveFanout(10)).isEqualTo(6);
    assertThat(c.ihaveFanout(3)).isEqualTo(3);
    assertThat(c.ihaveFanout(0)).isZero();
  }
}
