package voidphone.gossip.core.broadcast;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * Ids of every item this node has processed, kept apart from the payload cache and much larger, so
 * that an item evicted from the cache, rejected as invalid, or dropped unsubscribed is still
 * recognised as a duplicate. Bounded by count (not time) so its memory is fixed whatever the item
 * rate; the oldest id is forgotten first.
 */
final class SeenRecord {
  private final int capacity;
  private final LinkedHashSet<ItemId> ids = new LinkedHashSet<>();

  SeenRecord(int capacity) {
    this.capacity = capacity;
  }

  boolean contains(ItemId id) {
    return ids.contains(id);
  }

  /** Records {@code id}; returns whether an older id had to be forgotten to make room. */
  boolean add(ItemId id) {
    if (!ids.add(id) || ids.size() <= capacity) {
      return false;
    }
    Iterator<ItemId> oldest = ids.iterator();
    oldest.next();
    oldest.remove();
    return true;
  }

  int size() {
    return ids.size();
  }
}
