package voidphone.gossip.core.broadcast;

/**
 * How long a payload cache of a given size keeps items at the network's current item rate, judged
 * by the new ids this node learns of: items it receives and ids first announced to it that it does
 * not have. A GRAFT must reach its announcer before the announcer's cache evicts the item, and the
 * announcer's cache turns over at the network's rate. This node's own cache is no measure of that
 * while it misses items: when a tree link breaks, the items from beyond it stop arriving here, its
 * cache turns over more slowly, and a wait bounded by its age would outlast the announcers' copies
 * (measured with {@code gossip sim --nodes 1000 --items 1000 --warm-up-items 200
 * --item-interval-ms 10}: on 7 of 10 seeds nodes whose tree link had broken lost items, each
 * GRAFTed after every announcer had evicted it; {@code docs/protocol/broadcast.md}, section 6).
 * One long per cached item: the ring is as long as the payload cache.
 */
final class ItemRate {
  /** Ids learned of before a rate is judged from them: one or two say nothing of a rate. */
  static final int MIN_IDS = 8;

  /** The times the last {@code times.length} new ids were learned of, as a ring. */
  private final long[] times;
  private int next;
  private long learned;

  ItemRate(int window) {
    this.times = new long[window];
  }

  /** A new id was learned of at {@code nowMillis}. */
  void learned(long nowMillis) {
    times[next] = nowMillis;
    next = (next + 1) % times.length;
    learned++;
  }

  /**
   * How long a cache of {@code window} items keeps each at this rate: once that many ids have been
   * learned of, how long ago the {@code window}-th newest was; before, the same extrapolated from
   * the ids learned so far (a new network's caches fill at its rate too, and the first items are
   * those a broken tree link loses most easily). Unbounded until {@link #MIN_IDS} have been.
   */
  long retentionMillis(long nowMillis) {
    int count = (int) Math.min(learned, times.length);
    if (count < Math.min(MIN_IDS, times.length)) {
      return Long.MAX_VALUE;
    }
    long oldest = times[count < times.length ? 0 : next];
    return Math.max(0, nowMillis - oldest) * times.length / count;
  }
}
