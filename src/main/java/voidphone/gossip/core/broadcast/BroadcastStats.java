package voidphone.gossip.core.broadcast;

import java.util.EnumMap;
import java.util.Map;

/** Counters of one Plumtree core. Read by the driver's thread, like every other core state. */
public final class BroadcastStats {
  private final long[] counts = new long[BroadcastCounter.values().length];

  BroadcastStats() {}

  void increment(BroadcastCounter counter) {
    counts[counter.ordinal()]++;
  }

  void add(BroadcastCounter counter, long amount) {
    counts[counter.ordinal()] += amount;
  }

  public long get(BroadcastCounter counter) {
    return counts[counter.ordinal()];
  }

  /**
   * Ids a bound made us drop: queued announcements, received announcements and items refused while
   * too many validations were pending. (Cache and seen evictions are normal ageing, counted apart.)
   */
  public long idsDroppedByBounds() {
    return get(BroadcastCounter.LAZY_IDS_DROPPED)
        + get(BroadcastCounter.ANNOUNCEMENTS_DROPPED)
        + get(BroadcastCounter.PENDING_OVERFLOWS);
  }

  public Map<BroadcastCounter, Long> snapshot() {
    Map<BroadcastCounter, Long> copy = new EnumMap<>(BroadcastCounter.class);
    for (BroadcastCounter c : BroadcastCounter.values()) {
      copy.put(c, counts[c.ordinal()]);
    }
    return copy;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
