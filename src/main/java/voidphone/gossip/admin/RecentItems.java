package voidphone.gossip.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The last {@code capacity} items this node saw, for the live view: each one's id, data type, the
 * neighbour it came from (null: announced here), its hops, when it arrived (wall-clock
 * milliseconds, so that the records of nodes on one machine line up) and the local verdict once
 * known. A fixed ring: the oldest record is overwritten, nothing grows. Protocol-free and used on the
 * node's loop only, like everything that reads node state.
 */
public final class RecentItems {
  /** How many items a node remembers unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 64;

  /**
   * One item as this node saw it.
   *
   * @param id the item's 32 hex digits
   * @param from hex identity of the neighbour it came from; null when a local module announced it
   * @param atMillis wall-clock time of its arrival (or announcement)
   * @param verdict the local verdict in lower case ({@code valid}, {@code invalid}, {@code expired},
   *     {@code unwanted}), {@code local} for an item announced here, null while awaited
   */
  public record Item(String id, int dataType, String from, int hops, long atMillis, String verdict) {
    Item withVerdict(String value) {
      return new Item(id, dataType, from, hops, atMillis, value);
    }

    /** {@code {"id":..,"type":..,"from":..,"hops":..,"at_ms":..,"verdict":..}}, nulls as null. */
    public String toJson() {
      return "{\"id\":" + NodeStatus.quote(id) + ",\"type\":" + dataType + ",\"from\":" + quoteOrNull(from)
          + ",\"hops\":" + hops + ",\"at_ms\":" + atMillis + ",\"verdict\":" + quoteOrNull(verdict) + "}";
    }
  }

  private final Item[] ring;
  private final LongSupplier wallClock;
  private int next;
  private int size;
  private Consumer<Item> listener = item -> {};

  public RecentItems(int capacity, LongSupplier wallClock) {
    if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
    this.ring = new Item[capacity];
    this.wallClock = wallClock;
  }

  /** A ring of {@link #DEFAULT_CAPACITY} on the system clock. */
  public static RecentItems withDefaults() {
    return new RecentItems(DEFAULT_CAPACITY, System::currentTimeMillis);
  }

  /** Told of every new or changed record (the live view's event stream); one listener. */
  public void onChange(Consumer<Item> value) {
    this.listener = value;
  }

  /** An item arrived from {@code from} (null: a local module announced it) after {@code hops} hops. */
  public void received(String id, int dataType, String from, int hops) {
    Item item = new Item(id, dataType, from, hops, wallClock.getAsLong(), from == null ? "local" : null);
    ring[next] = item;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
    listener.accept(item);
  }

  /** The local verdict on item {@code id}; nothing when it has left the ring meanwhile. */
  public void verdict(String id, String verdict) {
    for (int i = 0; i < size; i++) {
      int slot = Math.floorMod(next - 1 - i, ring.length);
      if (ring[slot].id().equals(id)) {
        ring[slot] = ring[slot].withVerdict(verdict);
        listener.accept(ring[slot]);
        return;
      }
    }
  }

  /** The records, newest first. */
  public List<Item> snapshot() {
    List<Item> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) out.add(ring[Math.floorMod(next - 1 - i, ring.length)]);
    return out;
  }

  public int capacity() {
    return ring.length;
  }

  static String quoteOrNull(String s) {
    return s == null ? "null" : NodeStatus.quote(s);
  }
}
