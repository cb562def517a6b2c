package voidphone.gossip.core.broadcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;

/**
 * Announcements owed to lazy peers, sent as batched IHAVEs: one log of the items to announce, and
 * per lazy peer a cursor into it (the first entry not yet announced to that peer).
 *
 * <p>Each flush serves a few of the lazy peers ({@link BroadcastConfig#ihaveFanout}: a quarter of
 * them, at least 6), those whose cursor is furthest behind, and each served peer gets everything
 * logged since it was last served. So every lazy peer still hears of every item, as in the paper,
 * but a node sends a few IHAVE frames per flush instead of one to every lazy peer: at degree 30, 8
 * instead of 29, each carrying the items of about four flush intervals. A peer learns of an item
 * up to that many intervals later; a node whose tree link failed still hears of it at the first
 * flush from one of its many neighbours. Frames, not ids, were the cost (docs/BENCHMARKS.md).
 *
 * <p>Peers that showed they have an item (they brought it, announced it to us, or pushed us a
 * copy) are marked on its entry, one bit per neighbour slot, and not told of it. Peers that turned
 * eager while entries were owed to them get those at the next flush: items spread while they were
 * lazy were not pushed to them.
 *
 * <p>Bounds: at most {@code maxWaiting} entries are logged, the oldest dropped beyond that (the
 * peers still owed it lose a repair path, never an item they get eagerly); a served peer gets at
 * most {@code maxMessagesPerFlush} IHAVEs of at most {@code maxIds} ids per flush, the rest at its
 * next turn; neighbour slots are 64, and a neighbour beyond them is just never marked as having an
 * item.
 */
final class LazyAnnouncements {

  /** One IHAVE to send. */
  record Batch(NodeId peer, IHave message) {}

  /** Neighbours that can be marked on an entry: the bits of a {@code long}. */
  static final int SLOTS = 64;

  private static final class Entry {
    final Announcement announcement;
    final long seq;
    /** Slot bits of the peers that have the item: its sender, and those that showed it. */
    long holders;

    Entry(Announcement announcement, long seq, long holders) {
      this.announcement = announcement;
      this.seq = seq;
      this.holders = holders;
    }
  }

  private static final class LazyPeer {
    final NodeId peer;
    /** This peer's bit in {@link Entry#holders}; 0 if it has no slot. */
    final long bit;
    /** Sequence number of the first entry not yet announced to it. */
    long cursor;

    LazyPeer(NodeId peer, long bit, long cursor) {
      this.peer = peer;
      this.bit = bit;
      this.cursor = cursor;
    }
  }

  private final BroadcastConfig config;
  private final BroadcastStats stats;
  private final ArrayDeque<Entry> log = new ArrayDeque<>();
  private final Map<ItemId, Entry> byId = new HashMap<>();
  /** Sequence number the next entry gets. */
  private long nextSeq;
  private final Map<NodeId, Integer> slots = new HashMap<>();
  private long usedSlots;
  /** Lazy peers, in the order they became lazy. */
  private final List<LazyPeer> lazyPeers = new ArrayList<>();
  /** Peers that turned eager while entries were owed to them: served at the next flush, then dropped. */
  private final List<LazyPeer> owed = new ArrayList<>();

  LazyAnnouncements(BroadcastConfig config, BroadcastStats stats) {
    this.config = config;
    this.stats = stats;
  }

  // ---- neighbours --------------------------------------------------------------------------

  /** A new neighbour: it gets a slot, if one is free. */
  void neighborUp(NodeId peer) {
    if (slots.containsKey(peer) || usedSlots == -1L) {
      return;
    }
    int slot = Long.numberOfTrailingZeros(~usedSlots);
    usedSlots |= 1L << slot;
    slots.put(peer, slot);
  }

  void neighborDown(NodeId peer) {
    removeFrom(lazyPeers, peer);
    removeFrom(owed, peer);
    Integer slot = slots.remove(peer);
    if (slot != null) {
      usedSlots &= ~(1L << slot);
    }
  }

  /** {@code peer} is now lazy: it is owed every item logged from now on. */
  void becameLazy(NodeId peer) {
    LazyPeer was = removeFrom(owed, peer); // still owed what it missed before: keep its cursor
    lazyPeers.add(was != null ? was : new LazyPeer(peer, bitOf(peer), nextSeq));
  }

  /** {@code peer} is now eager: new items are pushed to it, but what it is owed is still sent. */
  void becameEager(NodeId peer) {
    LazyPeer p = removeFrom(lazyPeers, peer);
    if (p != null && p.cursor < nextSeq && !log.isEmpty()) {
      owed.add(p);
    }
  }

  // ---- items -------------------------------------------------------------------------------

  /** Whether any peer is lazy: only then is an item worth logging. */
  boolean hasLazyPeers() {
    return !lazyPeers.isEmpty();
  }

  /** Logs an item to announce, which came from {@code from} (ourselves for a local item). */
  void add(Announcement announcement, NodeId from) {
    if (log.size() >= config.lazyQueueMaxIds()) {
      byId.remove(log.pollFirst().announcement.id());
      stats.increment(BroadcastCounter.LAZY_IDS_DROPPED);
    }
    Entry entry = new Entry(announcement, nextSeq++, bitOf(from));
    log.addLast(entry);
    byId.put(announcement.id(), entry);
  }

  /**
   * {@code peer} showed it has item {@code id} (it announced or pushed it to us): it will not be
   * told of it. On a lazy link both ends announce each item to the other; whichever is served first
   * spares the other its ids.
   */
  void peerHas(NodeId peer, ItemId id) {
    Entry e = byId.get(id);
    if (e != null) {
      e.holders |= bitOf(peer);
    }
  }

  /** Whether a flush has anything to do. */
  boolean needsFlush() {
    return !log.isEmpty();
  }

  /**
   * One flush: the IHAVEs to send now. Serves every peer still owed entries since it turned eager,
   * and the {@link BroadcastConfig#ihaveFanout} lazy peers furthest behind; then forgets the entries
   * every peer has been served.
   */
  List<Batch> flush() {
    List<Batch> out = new ArrayList<>();
    for (LazyPeer p : owed) {
      serve(p, out);
    }
    owed.clear();
    for (LazyPeer p : furthestBehind(config.ihaveFanout(lazyPeers.size()))) {
      serve(p, out);
    }
    trim();
    return out;
  }

  /** Entries that the next IHAVE to {@code peer} would carry; for tests. */
  int waitingFor(NodeId peer) {
    for (List<LazyPeer> list : List.of(lazyPeers, owed)) {
      for (LazyPeer p : list) {
        if (p.peer.equals(peer)) {
          int n = 0;
          for (Entry e : log) {
            if (e.seq >= p.cursor && (e.holders & p.bit) == 0) {
              n++;
            }
          }
          return n;
        }
      }
    }
    return 0;
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Up to {@code k} lazy peers with entries owed, least recently served first (ties: oldest lazy). */
  private List<LazyPeer> furthestBehind(int k) {
    List<LazyPeer> behind = new ArrayList<>(lazyPeers.size());
    for (LazyPeer p : lazyPeers) {
      if (p.cursor < nextSeq) {
        behind.add(p);
      }
    }
    behind.sort((a, b) -> Long.compare(a.cursor, b.cursor)); // stable: ties keep the lazy order
    return behind.size() <= k ? behind : behind.subList(0, k);
  }

  /** Announces to {@code p} what it is owed, up to its per-flush budget; advances its cursor. */
  private void serve(LazyPeer p, List<Batch> out) {
    int maxIds = config.ihaveMaxIds();
    int messages = 0;
    List<Announcement> batch = new ArrayList<>();
    for (Entry e : log) {
      if (e.seq < p.cursor) {
        continue;
      }
      if ((e.holders & p.bit) != 0) {
        stats.increment(BroadcastCounter.LAZY_IDS_SKIPPED);
        continue;
      }
      batch.add(e.announcement);
      if (batch.size() == maxIds) {
        out.add(new Batch(p.peer, new IHave(batch)));
        batch = new ArrayList<>();
        if (++messages == config.ihaveMaxMessagesPerFlush()) {
          p.cursor = e.seq + 1; // the rest at its next turn
          return;
        }
      }
    }
    if (!batch.isEmpty()) {
      out.add(new Batch(p.peer, new IHave(batch)));
    }
    p.cursor = nextSeq;
  }

  /** Drops the entries that no peer is owed any more. */
  private void trim() {
    long oldestOwed = nextSeq;
    for (LazyPeer p : lazyPeers) {
      oldestOwed = Math.min(oldestOwed, p.cursor);
    }
    for (LazyPeer p : owed) {
      oldestOwed = Math.min(oldestOwed, p.cursor);
    }
    while (!log.isEmpty() && log.peekFirst().seq < oldestOwed) {
      byId.remove(log.pollFirst().announcement.id());
    }
  }

  private long bitOf(NodeId peer) {
    Integer slot = slots.get(peer);
    return slot == null ? 0 : 1L << slot;
  }

  private static LazyPeer removeFrom(List<LazyPeer> list, NodeId peer) {
    for (Iterator<LazyPeer> it = list.iterator(); it.hasNext(); ) {
      LazyPeer p = it.next();
      if (p.peer.equals(peer)) {
        it.remove();
        return p;
      }
    }
    return null;
  }
}
