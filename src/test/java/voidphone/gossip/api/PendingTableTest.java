package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pending-notification table, where ids go in and out one at a time (a client that keeps up). */
class PendingTableTest {
  private final PendingTable table = new PendingTable();

  private static PendingNotification pending(int messageId) {
    return new PendingNotification(null, messageId, null);
  }

  @Test
  void aPageEmptiedAndTakenAgainHoldsOnlyWhatIsPendingNow() {
    table.put(pending(1));
    table.remove(1); // its page is empty now, and kept for reuse
    table.put(pending(300)); // another page: the kept one

    assertThat(table.contains(1)).isFalse();
    assertThat(table.contains(256 + 1)).as("slot 1 of the reused page").isFalse();
    assertThat(table.contains(300)).isTrue();
    assertThat(table.removeAll()).extracting(p -> p.messageId).containsExactly(300);
  }
}
