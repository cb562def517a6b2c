package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.BroadcastStats;
import voidphone.gossip.core.broadcast.ItemId;

/**
 * The traces of the items broadcast on one channel, and the counters of that channel's cores that
 * are gone (crashed or departed nodes), so that totals over the run stay exact.
 */
final class BroadcastLog {
  private final Map<ItemId, ItemTrace> byId = new HashMap<>();
  private final List<ItemTrace> inOrder = new ArrayList<>();
  private final long[] retired = new long[BroadcastCounter.values().length];
  private long penalties;
  /** The item being announced, while its id is not known yet. */
  private ItemTrace opening;

  /**
   * An item is about to be announced by {@code origin}. Its core sends the first copies before it
   * returns the item's id, so the first payload sent with an unknown id names it.
   */
  void open(int origin, long now) {
    opening = new ItemTrace(inOrder.size(), origin, now);
    inOrder.add(opening);
  }

  /** The core returned the announced item's id. */
  void close(ItemId id) {
    if (opening.id == null) {
      bind(opening, id); // it had no neighbour to send to
    }
    opening = null;
  }

  void payloadSent(ItemId id) {
    ItemTrace trace = byId.get(id);
    if (trace == null && opening != null && opening.id == null) {
      trace = opening;
      bind(trace, id);
    }
    if (trace != null) {
      trace.payloads++;
    }
  }

  private void bind(ItemTrace trace, ItemId id) {
    trace.id = id;
    byId.put(id, trace);
  }

  void delivered(ItemId id, int node, int hops, long now) {
    ItemTrace trace = byId.get(id);
    if (trace != null) {
      trace.delivered(node, hops, now);
    }
  }

  void penalized() {
    penalties++;
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

  /** Penalties the cores asked for; with every subscriber answering VALID there should be none. */
  long penalties() {
    return penalties;
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
