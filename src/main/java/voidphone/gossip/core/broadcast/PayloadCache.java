package voidphone.gossip.core.broadcast;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The {@code cache_size} most recent validated items, which answer GRAFTs. First in, first out:
 * an item's usefulness for repair ends a few round trips after it spread, so age is the right
 * measure and lookups must not refresh it.
 */
final class PayloadCache {
  private final int capacity;
  private final LinkedHashMap<ItemId, CachedItem> items = new LinkedHashMap<>();

  PayloadCache(int capacity) {
    this.capacity = capacity;
  }

  CachedItem get(ItemId id) {
    return items.get(id);
  }

  /** Adds {@code item}; returns the oldest item's id if it had to be evicted to make room, else null. */
  ItemId add(CachedItem item) {
    items.put(item.outgoing().id(), item);
    if (items.size() <= capacity) {
      return null;
    }
    Iterator<ItemId> oldest = items.keySet().iterator();
    ItemId evicted = oldest.next();
    oldest.remove();
    return evicted;
  }

  /**
   * Up to {@code max} ids of the newest items cached at least {@code minAgeMillis} and at most
   * {@code maxAgeMillis} ago, newest first.
   */
  List<ItemId> recent(long nowMillis, long minAgeMillis, long maxAgeMillis, int max) {
    List<ItemId> out = new ArrayList<>(Math.min(max, items.size()));
    for (CachedItem item : items.sequencedValues().reversed()) {
      long age = nowMillis - item.cachedAtMillis();
      if (age > maxAgeMillis || out.size() == max) {
        break;
      }
      if (age >= minAgeMillis) {
        out.add(item.outgoing().id());
      }
    }
    return out;
  }

  /**
   * How long an item stays here at the current rate: the age of the oldest item once the cache is
   * full, unbounded before. Peers see about the same rate, so a GRAFT sent later than this after
   * the announcer got the item likely finds it evicted there too.
   */
  long retentionMillis(long nowMillis) {
    if (items.size() < capacity) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, nowMillis - items.firstEntry().getValue().cachedAtMillis());
  }

  /** The cached items, oldest first; read-only. */
  Iterable<CachedItem> items() {
    return java.util.Collections.unmodifiableCollection(items.values());
  }

  /** Updates an entry in place, keeping its age. */
  void replace(CachedItem item) {
    items.replace(item.outgoing().id(), item);
  }

  int size() {
    return items.size();
  }
}
