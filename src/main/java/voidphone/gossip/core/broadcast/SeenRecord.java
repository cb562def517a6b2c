package voidphone.gossip.core.broadcast;

import voidphone.gossip.core.SplitMix;

/**
 * Ids of every item this node has processed, kept apart from the payload cache and much larger, so
 * that an item evicted from the cache, rejected as invalid, or dropped unsubscribed is still
 * recognised as a duplicate. Bounded by count (not time) so its memory is fixed whatever the item
 * rate; the oldest id is forgotten first.
 *
 * <p>Why primitive arrays and not a {@code LinkedHashSet<ItemId>}: the set cost about 100 bytes per
 * id (entry, boxed id, table slot), so the default 100,000 ids took about 10 MiB per node, and its
 * table doubled in one step at 98,304 ids, a pause of 5 to 16 ms that every node of a network took
 * at the same item (the soak lost items there, {@code docs/BENCHMARKS.md}). Here an id costs 8
 * bytes in the arrival-order ring and 16 to 32 in an open-addressing table, and both grow by
 * doubling only while the record fills, copying longs rather than relinking entries.
 * A node that has seen few items holds little, which keeps the simulator's 100,000 nodes small.
 *
 * <p>Why the hash is keyed: ids are SHA-256 prefixes, but a peer can grind data until many ids share
 * their low bits and so build one long probe run in an unkeyed table. The key, drawn per record,
 * makes the slot of an id unpredictable to peers. It changes no outcome, only where ids sit.
 */
final class SeenRecord {
  /** Ring and table start this small, so that a node that saw few items holds a few kilobytes. */
  private static final int INITIAL_LENGTH = 8;

  private final int capacity;
  private final long hashKey;
  /** Ids in arrival order, oldest at {@link #head}; grows up to {@link #capacity} entries. */
  private long[] order = new long[INITIAL_LENGTH];
  private int head;
  private int size;
  /** Linear probing, at most half full; 0 marks a free slot, so id 0 is held in {@link #zeroSeen}. */
  private long[] table = new long[2 * INITIAL_LENGTH];
  private boolean zeroSeen;

  SeenRecord(int capacity, long hashKey) {
    if (capacity < 1) {
      throw new IllegalArgumentException("seen capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.hashKey = hashKey;
  }

  boolean contains(ItemId id) {
    long v = id.value();
    return v == 0 ? zeroSeen : table[find(v)] == v;
  }

  /** Records {@code id}; returns whether an older id had to be forgotten to make room. */
  boolean add(ItemId id) {
    long v = id.value();
    if (contains(id)) {
      return false;
    }
    boolean evicted = false;
    if (size == capacity) {
      remove(order[head]);
      head = (head + 1) % order.length;
      size--;
      evicted = true;
    } else if (size == order.length) {
      growOrder();
    }
    order[(head + size) % order.length] = v;
    size++;
    if (v == 0) {
      zeroSeen = true;
    } else {
      if (2 * size > table.length) {
        growTable();
      }
      table[find(v)] = v;
    }
    return evicted;
  }

  int size() {
    return size;
  }

  /** The slot holding {@code v}, or the free slot where it would go. */
  private int find(long v) {
    int mask = table.length - 1;
    int i = slot(v, mask);
    while (table[i] != 0 && table[i] != v) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private int slot(long v, int mask) {
    return (int) SplitMix.mix(v ^ hashKey) & mask; // every bit of the key and the id reaches the slot
  }

  /** Removes {@code v}, shifting later entries of its probe run back so no tombstone is needed. */
  private void remove(long v) {
    if (v == 0) {
      zeroSeen = false;
      return;
    }
    int mask = table.length - 1;
    int hole = find(v);
    table[hole] = 0;
    for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int home = slot(table[j], mask);
      // the entry at j may move into the hole unless its home lies cyclically in (hole, j]
      boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!homeBetween) {
        table[hole] = table[j];
        table[j] = 0;
        hole = j;
      }
    }
  }

  private void growOrder() {
    long[] grown = new long[(int) Math.min(capacity, 2L * order.length)];
    for (int k = 0; k < size; k++) {
      grown[k] = order[(head + k) % order.length];
    }
    order = grown;
    head = 0;
  }

  private void growTable() {
    long[] old = table;
    table = new long[old.length * 2];
    for (long v : old) {
      if (v != 0) {
        table[find(v)] = v;
      }
    }
  }
}
