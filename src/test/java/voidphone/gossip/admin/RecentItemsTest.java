package voidphone.gossip.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentItemsTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final RecentItems items = new RecentItems(3, clock::get);

  @Test
  void keepsTheLastItemsNewestFirstAndNoMore() {
    for (int i = 0; i < 5; i++) {
      clock.addAndGet(10);
      items.received("id" + i, 7, "peer" + i, i);
    }
    List<RecentItems.Item> snapshot = items.snapshot();
    assertThat(snapshot).extracting(RecentItems.Item::id).containsExactly("id4", "id3", "id2");
    assertThat(snapshot.get(0)).isEqualTo(new RecentItems.Item("id4", 7, "peer4", 4, 1_050, null));
  }

  @Test
  void aVerdictUpdatesItsItemAndALocalItemIsMarkedLocal() {
    List<RecentItems.Item> changes = new ArrayList<>();
    items.onChange(changes::add);
    items.received("mine", 1, null, 0);
    items.received("theirs", 1, "ab", 2);
    items.verdict("theirs", "valid");
    items.verdict("long-gone", "valid");
    assertThat(items.snapshot()).extracting(RecentItems.Item::verdict).containsExactly("valid", "local");
    assertThat(changes).extracting(RecentItems.Item::verdict).containsExactly("local", null, "valid");
  }

  @Test
  void anItemIsOneJsonObject() {
    items.received("ab\"c", 7, null, 0);
    assertThat(items.snapshot().get(0).toJson())
        .isEqualTo("{\"id\":\"ab\\\"c\",\"type\":7,\"from\":null,\"hops\":0,\"at_ms\":1000,\"verdict\":\"local\"}");
  }
}
