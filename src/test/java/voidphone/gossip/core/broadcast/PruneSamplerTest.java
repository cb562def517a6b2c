package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which items may prune: all while items are rare, about one per window when they are frequent. */
class PruneSamplerTest {
  private final SplittableRandom random = new SplittableRandom(7);

  private ItemId randomId() {
    return new ItemId(random.nextLong());
  }

  /** Feeds {@code count} items {@code gapMillis} apart; returns how many of them may prune. */
  private int itemsThatMayPrune(PruneSampler sampler, int count, long gapMillis) {
    int pruning = 0;
    long now = 0;
    for (int i = 0; i < count; i++) {
      now += gapMillis;
      sampler.itemSeen(now);
      if (sampler.mayPrune(randomId())) {
        pruning++;
      }
    }
    return pruning;
  }

  @Test
  void everyItemMayPruneWhenItemsComeLessOftenThanOncePerWindow() {
    PruneSampler sampler = new PruneSampler(1000);

    assertThat(itemsThatMayPrune(sampler, 100, 1500)).isEqualTo(100);
  }

  @Test
  void aboutOneItemPerWindowMayPruneWhenItemsComeFast() {
    PruneSampler sampler = new PruneSampler(1000);
    itemsThatMayPrune(sampler, 100, 10); // let the rate estimate settle

    int pruning = itemsThatMayPrune(sampler, 10_000, 10); // 100 windows of 100 items each

    assertThat(pruning).isBetween(70, 130);
  }

  @Test
  void nodesAtTheSameRateChooseTheSameItems() {
    PruneSampler one = new PruneSampler(1000);
    PruneSampler other = new PruneSampler(1000);
    for (long t = 0; t < 5000; t += 20) {
      one.itemSeen(t);
      other.itemSeen(t + 7); // the same items, seen a little later
    }

    for (int i = 0; i < 10_000; i++) {
      ItemId id = randomId();
      assertThat(one.mayPrune(id)).isEqualTo(other.mayPrune(id));
    }
  }

  @Test
  void aZeroWindowLetsEveryItemPrune() {
    PruneSampler sampler = new PruneSampler(0);

    assertThat(itemsThatMayPrune(sampler, 1000, 1)).isEqualTo(1000);
  }

  @Test
  void theFirstItemMayPruneBeforeAnyRateIsKnown() {
    PruneSampler sampler = new PruneSampler(1000);

    assertThat(sampler.share()).isEqualTo(1.0);
  }

  @Test
  void aBurstWithinOneMillisecondStillLetsSomeItemsPrune() {
    PruneSampler sampler = new PruneSampler(100);

    assertThat(itemsThatMayPrune(sampler, 10_000, 0)).isBetween(50, 150);
  }
}
