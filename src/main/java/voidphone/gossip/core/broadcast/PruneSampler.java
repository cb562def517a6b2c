package voidphone.gossip.core.broadcast;

/**
 * Which items' duplicates may PRUNE a link: all of them while items are rare, and a sample that
 * every node draws alike (by item id) when they come so fast that several are in flight at once.
 *
 * <p>Why: a duplicate means the eager links form a cycle, and pruning the link it came by removes
 * the cycle. With one item in flight, each cycle yields one duplicate and loses one link. With
 * several items in flight from different origins, their duplicates meet at different points of the
 * same cycle and prune several of its links: the tree falls apart, GRAFTs glue the pieces with new
 * cycles, and it never settles (measured in the simulator at 20 items/s: RMR 0.37, GRAFTs on every
 * item). Letting only about one item per {@code windowMillis} prune serialises the pruning; as every
 * node sees the same items and picks them by id, they all prune on the same ones.
 *
 * <p>The rate is each node's own estimate (a smoothed gap between new items), so nodes may disagree
 * slightly near the threshold; that only makes a few more or fewer items prune.
 */
final class PruneSampler {
  private static final long SCALE = 1L << 20;
  private final long windowMillis;
  private long lastItemAt = Long.MIN_VALUE;
  private double meanGapMillis = Double.NaN;

  /** {@code windowMillis} 0: every item may prune (the paper's rule). */
  PruneSampler(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  /** A new item was seen at {@code now} (received or broadcast here). */
  void itemSeen(long now) {
    if (lastItemAt != Long.MIN_VALUE) {
      double gap = Math.max(0, now - lastItemAt);
      meanGapMillis = Double.isNaN(meanGapMillis) ? gap : meanGapMillis + (gap - meanGapMillis) / 8;
    }
    lastItemAt = now;
  }

  /** Whether duplicates of {@code id} may prune at the current item rate. */
  boolean mayPrune(ItemId id) {
    double share = share();
    return share >= 1 || (id.value() >>> 44) < (long) (share * SCALE);
  }

  /** The share of items that may prune: about one per window. */
  double share() {
    if (windowMillis == 0 || Double.isNaN(meanGapMillis)) {
      return 1;
    }
    // a burst within one millisecond still leaves about one item in a window's worth pruning
    return Math.min(1, Math.max(1, meanGapMillis) / windowMillis);
  }
}
