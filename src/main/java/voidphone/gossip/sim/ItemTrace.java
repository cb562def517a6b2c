package voidphone.gossip.sim;

import java.util.BitSet;
import org.HdrHistogram.IntCountsHistogram;
import voidphone.gossip.core.broadcast.ItemId;

/**
 * What happened to one broadcast item in a run: who delivered it, when, after how many
 * hops, and how many payload copies were sent for it. Filled in while the simulation runs; read
 * once it is over.
 */
final class ItemTrace {
  /** Latencies to three significant digits: exact up to 2,048 ms, within 0.05% beyond. */
  private static final int LATENCY_DIGITS = 3;

  final int index;
  /** Known once the core has announced the item (see {@link BroadcastLog#open}). */
  ItemId id;
  final int origin;
  final long sentAt;
  /** Nodes that delivered the item; the origin counts as having it from the start. */
  final BitSet delivered = new BitSet();
  final IntCountsHistogram latency = new IntCountsHistogram(LATENCY_DIGITS);
  /** GOSSIP messages sent for this item: eager pushes and GRAFT answers. */
  long payloads;
  /** Bytes of its GOSSIP frames sent (length prefix and channel included). */
  long payloadBytes;
  /** Its share of the IHAVE and GRAFT frames sent: each frame's bytes split evenly over the ids it names. */
  double controlBytes;
  int maxHops;
  /** Deliveries to a node that had delivered it already: must stay 0. */
  long repeatedDeliveries;

  ItemTrace(int index, int origin, long sentAt) {
    this.index = index;
    this.origin = origin;
    this.sentAt = sentAt;
    delivered.set(origin);
  }

  void delivered(int node, int hops, long now) {
    if (delivered.get(node)) {
      repeatedDeliveries++;
      return;
    }
    delivered.set(node);
    latency.recordValue(now - sentAt);
    maxHops = Math.max(maxHops, hops);
  }
}
