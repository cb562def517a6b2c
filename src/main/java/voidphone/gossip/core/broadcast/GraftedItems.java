package voidphone.gossip.core.broadcast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Items that arrived as the answer to our GRAFT, remembered until their eager copy shows up as a
 * duplicate: how late it came is the {@link GraftTimeout} sample that says the timeout was too short.
 * Oldest forgotten first; an item whose eager copy never comes (the tree link really was broken)
 * simply ages out.
 */
final class GraftedItems {
  private final int capacity;
  private final Map<ItemId, MissingItems.Entry> entries = new LinkedHashMap<>();

  GraftedItems(int capacity) {
    this.capacity = capacity;
  }

  void add(ItemId id, MissingItems.Entry entry) {
    if (entries.size() >= capacity) {
      var oldest = entries.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    entries.put(id, entry);
  }

  MissingItems.Entry remove(ItemId id) {
    return entries.remove(id);
  }

  int size() {
    return entries.size();
  }
}
