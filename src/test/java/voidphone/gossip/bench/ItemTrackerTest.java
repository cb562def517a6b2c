package voidphone.gossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ItemTrackerTest {
  private static final long PATIENCE = TimeUnit.SECONDS.toNanos(10);

  @Test
  void anItemCompletesWhenItsLastReceiverHasItAndOnlyMeasuredItemsAreRecorded() throws InterruptedException {
    ItemTracker t = new ItemTracker(2, 2, 1); // item 0 is the warm-up
    for (int seq = 0; seq < 2; seq++) {
      t.sent(seq);
      long now = System.nanoTime();
      t.received(seq, now);
      t.received(seq, now + 1_000_000);
      t.await(seq, System.nanoTime() + PATIENCE); // returns at once: complete
    }

    assertThat(t.allReached.getTotalCount()).isEqualTo(1);
    assertThat(t.eachDelivery.getTotalCount()).isEqualTo(2);
    assertThat(t.lost(0, 2, PATIENCE)).isZero();
  }

  @Test
  void anItemLaterThanTheHistogramHoldsStillCompletesAndCountsAsLost() {
    ItemTracker t = new ItemTracker(2, 1, 0);
    t.sent(0);
    t.sent(1);
    t.received(0, System.nanoTime() + TimeUnit.SECONDS.toNanos(120)); // beyond the histogram's 60 s
    t.received(1, System.nanoTime() + TimeUnit.SECONDS.toNanos(11)); // within it, beyond the patience
    t.received(1, System.nanoTime()); // a receiver reporting twice is ignored

    assertThat(t.allReached.getTotalCount()).isEqualTo(2);
    assertThat(t.lost(0, 2, PATIENCE)).isEqualTo(2);
  }

  @Test
  void anItemSomeReceiverLacksIsLost() {
    ItemTracker t = new ItemTracker(1, 3, 0);
    t.sent(0);
    t.received(0, System.nanoTime());

    assertThat(t.lost(0, 1, PATIENCE)).isEqualTo(1);
    assertThat(t.allReached.getTotalCount()).isZero();
  }
}
