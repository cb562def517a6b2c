package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import voidphone.gossip.core.broadcast.Announcement;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.BroadcastStats;
import voidphone.gossip.core.broadcast.ItemId;

/**
 * The traces of the items broadcast in a run, and the counters of the broadcast cores that are gone
 * (crashed or departed nodes), so that totals over the run stay exact.
 */
final class BroadcastLog {
  private final Map<ItemId, ItemTrace> byId = new HashMap<>();
  private final List<ItemTrace> inOrder = new ArrayList<>();
  private final long[] retired = new long[BroadcastCounter.values().length];

  /** {@code origin} announced item {@code id} now (before any copy of it went out). */
  void announced(int origin, long now, ItemId id) {
    ItemTrace trace = new ItemTrace(inOrder.size(), origin, now);
    inOrder.add(trace);
    trace.id = id;
    byId.put(id, trace);
  }

  void payloadSent(ItemId id, int frameBytes) {
    ItemTrace trace = byId.get(id);
    if (trace != null) {
      trace.payloads++;
      trace.payloadBytes += frameBytes;
    }
  }

  /**
   * A control frame of {@code frameBytes} went out: an IHAVE's or GRAFT's bytes are split evenly over
   * the items it names; a PRUNE, or a GRAFT naming none, belongs to no item.
   */
  void controlSent(BroadcastMessage message, int frameBytes) {
    switch (message) {
      case BroadcastMessage.IHave ihave -> {
        double share = (double) frameBytes / ihave.announcements().size();
        for (Announcement a : ihave.announcements()) {
          addControl(a.id(), share);
        }
      }
      case BroadcastMessage.Graft graft when !graft.ids().isEmpty() -> {
        double share = (double) frameBytes / graft.ids().size();
        for (ItemId id : graft.ids()) {
          addControl(id, share);
        }
      }
      default -> {}
    }
  }

  private void addControl(ItemId id, double bytes) {
    ItemTrace trace = byId.get(id);
    if (trace != null) {
      trace.controlBytes += bytes;
    }
  }

  void delivered(ItemId id, int node, int hops, long now) {
    ItemTrace trace = byId.get(id);
    if (trace != null) {
      trace.delivered(node, hops, now);
    }
  }

  /** A node's core is dropped: keep its counts. */
  void retire(BroadcastStats stats) {
    for (BroadcastCounter c : BroadcastCounter.values()) {
      retired[c.ordinal()] += stats.get(c);
    }
  }

  List<ItemTrace> items() {
    return inOrder;
  }

  long retired(BroadcastCounter counter) {
    return retired[counter.ordinal()];
  }

  static Map<BroadcastCounter, Long> emptyCounts() {
    Map<BroadcastCounter, Long> counts = new EnumMap<>(BroadcastCounter.class);
    for (BroadcastCounter c : BroadcastCounter.values()) {
      counts.put(c, 0L);
    }
    return counts;
  }
}
