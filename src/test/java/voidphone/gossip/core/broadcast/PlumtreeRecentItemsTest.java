package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence a merge probe carries: the newest cached items within an age window. */
class PlumtreeRecentItemsTest {
  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  private ItemId announce(int n) {
    return h.core.broadcast(0, 1, new byte[] {(byte) n}, h.now());
  }

  @Test
  void newestItemsWithinTheAgeWindowComeFirst() {
    ItemId old = announce(1);
    h.advance(10_000);
    ItemId middle = announce(2);
    h.advance(3_000);
    ItemId newer = announce(3);
    h.advance(3_000);
    announce(4); // too young

    assertThat(h.core.recentItems(h.now(), 2_000, 15_000, 8)).containsExactly(newer, middle);
    assertThat(h.core.recentItems(h.now(), 2_000, 20_000, 8)).containsExactly(newer, middle, old);
  }

  @Test
  void atMostTheAskedNumberOfItems() {
    for (int n = 0; n < 10; n++) {
      announce(n);
    }
    h.advance(5_000);

    assertThat(h.core.recentItems(h.now(), 0, 60_000, 4)).hasSize(4);
  }

  @Test
  void seenAnyTellsWhetherOneOfTheItemsWasSeen() {
    ItemId mine = announce(1);

    assertThat(h.core.hasSeenAny(List.of(new ItemId(9), mine))).isTrue();
    assertThat(h.core.hasSeenAny(List.of(new ItemId(9)))).isFalse();
  }
}
