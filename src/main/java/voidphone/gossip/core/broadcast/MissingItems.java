package voidphone.gossip.core.broadcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import voidphone.gossip.core.NodeId;

/**
 * Items we learned of by IHAVE but have not received: for each, the peers that announced it (in
 * arrival order, which is the order we GRAFT them in) and when its next GRAFT is due. Bounded in
 * both directions, since every entry here is created by a peer's message.
 */
final class MissingItems {

  /** A peer that holds the item, and the hop count the item would reach us with from it. */
  record Announcer(NodeId peer, int hops) {}

  static final class Entry {
    // small at first: most entries hear of one or two announcers before the item arrives, and a
    // node may hold thousands of entries (an IHAVE flood fills its table to the bound)
    private final ArrayDeque<Announcer> announcers = new ArrayDeque<>(2);
    /** The announcer whose share of the table this entry counts against: the first still known. */
    private NodeId chargedTo;
    /** When the first IHAVE for the item arrived: the start of a {@link GraftTimeout} sample. */
    final long announcedAt;
    /** Peers we GRAFTed the item from: their copies say nothing about the eager path. Null until one is. */
    private List<NodeId> grafted;
    /** When the latest GRAFT went out: the start of a GRAFT round-trip sample. */
    long lastGraftAt;
    /**
     * When the next GRAFT is due. Timers are never cancelled, so one that fires before this time
     * belongs to an earlier, since-removed entry for the same id and is ignored.
     */
    long nextRequestAt;

    private Entry(long announcedAt, long nextRequestAt) {
      this.announcedAt = announcedAt;
      this.nextRequestAt = nextRequestAt;
    }

    void markGrafted(NodeId peer, long now) {
      if (grafted == null) {
        grafted = new ArrayList<>(1);
      }
      grafted.add(peer);
      lastGraftAt = now;
    }

    /** Whether {@code peer} is the announcer the latest GRAFT went to. */
    boolean lastGraftedWas(NodeId peer) {
      return grafted != null && grafted.getLast().equals(peer);
    }

    /** The announcer whose answer to our latest GRAFT is awaited; null when none is. */
    NodeId awaiting;

    boolean wasGraftedFrom(NodeId peer) {
      return grafted != null && grafted.contains(peer);
    }

    Announcer pollAnnouncer() {
      return announcers.pollFirst();
    }

    /** Puts {@code announcer} back first, to be asked at the next turn. */
    void returnAnnouncer(Announcer announcer) {
      announcers.addFirst(announcer);
    }

    /** The announcer with the fewest hops, or null if none is left. */
    Announcer closestAnnouncer() {
      Announcer best = null;
      for (Announcer a : announcers) {
        if (best == null || a.hops() < best.hops()) {
          best = a;
        }
      }
      return best;
    }
  }

  enum Outcome {
    /** First announcement of this item: the caller starts its timer. */
    NEW_ITEM,
    ADDED,
    /**
     * Added, and its first GRAFT is now due sooner ({@code dueAt}): the caller starts a timer for
     * the new time. The earlier timer stays and is ignored when it fires.
     */
    ADDED_SOONER,
    /** This peer already announced it. */
    ALREADY_KNOWN,
    /** Too many items tracked already. */
    NO_ROOM_FOR_ITEM,
    /** Enough announcers of this item tracked already. */
    NO_ROOM_FOR_ANNOUNCER,
    /** A new item, but its announcer holds its share of the table already. */
    OVER_SHARE
  }

  private final int maxItems;
  private final int maxAnnouncersPerItem;
  private final Map<ItemId, Entry> entries = new LinkedHashMap<>();
  /** Entries counted against each announcer's share. */
  private final Map<NodeId, Integer> charged = new HashMap<>();

  MissingItems(int maxItems, int maxAnnouncersPerItem) {
    this.maxItems = maxItems;
    this.maxAnnouncersPerItem = maxAnnouncersPerItem;
  }

  /**
   * Records that {@code announcer} holds {@code id}, announced at {@code now}; a new entry's first
   * GRAFT is due at {@code dueAt}. A new entry counts against its announcer's share, of which it
   * may hold {@code share} at once. With {@code hasten}, an entry not GRAFTed yet is brought
   * forward to {@code dueAt} if that is sooner (see {@link Outcome#ADDED_SOONER}).
   */
  Outcome add(ItemId id, Announcer announcer, long now, long dueAt, int share, boolean hasten) {
    Entry entry = entries.get(id);
    if (entry == null) {
      if (entries.size() >= maxItems) {
        return Outcome.NO_ROOM_FOR_ITEM;
      }
      if (charged.getOrDefault(announcer.peer(), 0) >= share) {
        return Outcome.OVER_SHARE;
      }
      entry = new Entry(now, dueAt);
      entry.announcers.add(announcer);
      charge(entry, announcer.peer());
      entries.put(id, entry);
      return Outcome.NEW_ITEM;
    }
    for (Announcer known : entry.announcers) {
      if (known.peer().equals(announcer.peer())) {
        return Outcome.ALREADY_KNOWN;
      }
    }
    if (entry.announcers.size() >= maxAnnouncersPerItem) {
      return Outcome.NO_ROOM_FOR_ANNOUNCER;
    }
    entry.announcers.add(announcer);
    if (hasten && entry.grafted == null && dueAt < entry.nextRequestAt) {
      entry.nextRequestAt = dueAt;
      return Outcome.ADDED_SOONER;
    }
    return Outcome.ADDED;
  }

  Entry get(ItemId id) {
    return entries.get(id);
  }

  Entry remove(ItemId id) {
    Entry entry = entries.remove(id);
    if (entry != null) {
      charge(entry, null);
    }
    return entry;
  }

  /** Moves {@code entry}'s charge to {@code peer} (null: to nobody). */
  private void charge(Entry entry, NodeId peer) {
    if (entry.chargedTo != null) {
      charged.computeIfPresent(entry.chargedTo, (p, n) -> n == 1 ? null : n - 1);
    }
    entry.chargedTo = peer;
    if (peer != null) {
      charged.merge(peer, 1, Integer::sum);
    }
  }

  /**
   * Forgets everything {@code peer} announced (paper: "the record of IHAVE messages sent from failed
   * members is deleted"); items nobody else announced are no longer tracked.
   */
  void forgetAnnouncer(NodeId peer) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (peer.equals(entry.awaiting)) {
        entry.awaiting = null; // its answer can no longer come; the retry timer asks the next
      }
      // an entry already emptied by GRAFTs stays, and so does one awaiting a GRAFT's answer: its
      // retry timer is still due, and it settles the GRAFT with the peer asked (removing the entry
      // here left that peer's GRAFT outstanding for ever: eight such and the peer was never asked
      // again, so items only it announced stayed missing while it stayed linked)
      if (entry.announcers.removeIf(a -> a.peer().equals(peer)) && entry.announcers.isEmpty()
          && entry.awaiting == null) {
        it.remove();
        charge(entry, null);
      } else if (peer.equals(entry.chargedTo)) {
        Announcer next = entry.announcers.peekFirst();
        charge(entry, next == null ? null : next.peer());
      }
    }
  }

  int size() {
    return entries.size();
  }
}
