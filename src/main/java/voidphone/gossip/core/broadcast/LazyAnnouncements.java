package voidphone.gossip.core.broadcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
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
 * <p>Each neighbour has a slot (an index into flat arrays) while it is a neighbour. Bounds: at most
 * {@link BroadcastConfig#lazyQueueMaxIds} entries are logged, the oldest dropped beyond that (the
 * peers still owed it lose a repair path, never an item they get eagerly); a served peer gets at
 * most {@link BroadcastConfig#ihaveMaxMessagesPerFlush} IHAVEs of at most {@link
 * BroadcastConfig#ihaveMaxIds} ids per flush, the rest at its next turn; only the first 64 slots
 * can be marked as having an item, so a neighbour past them (degree above 64) is told of items it
 * has.
 */
final class LazyAnnouncements {

  /** One IHAVE to send. */
  record Batch(NodeId peer, IHave message) {}

  /** Neighbours that can be marked on an entry: the bits of a {@code long}. */
  static final int SLOTS = 64;

  private static final byte FREE = 0;
  private static final byte EAGER = 1;
  private static final byte LAZY = 2;
  /** Turned eager while entries were owed to it: served at the next flush, then eager. */
  private static final byte OWED = 3;

  private static final class Entry {
    final Announcement announcement;
    final long seq;
    /** Slot bits of the peers that have the item: its sender, and those that showed it. */
    long holders;
    /** Evicted from the payload cache: announcing it would only draw a GRAFT we cannot answer. */
    boolean evicted;

    Entry(Announcement announcement, long seq, long holders) {
      this.announcement = announcement;
      this.seq = seq;
      this.holders = holders;
    }
  }

  private final BroadcastConfig config;
  private final BroadcastStats stats;
  private final ArrayDeque<Entry> log = new ArrayDeque<>();
  private final Map<ItemId, Entry> byId = new HashMap<>();
  /** Sequence number the next entry gets. */
  private long nextSeq;

  // Per neighbour, by slot, in flat arrays (as PeerSet, and for the same reason: at 100,000
  // simulated nodes an object per neighbour is most of the memory a run waits on).
  private NodeId[] peers = new NodeId[8];
  private int[] hashes = new int[8];
  private byte[] states = new byte[8];
  /** Per lazy or owed slot: sequence number of the first entry not yet announced to it. */
  private long[] cursors = new long[8];
  private int lazyCount;
  private int owedCount;
  /** The slot {@link #slotOf} found last: IHAVEs name many ids from one peer. */
  private int lastSlot = -1;

  LazyAnnouncements(BroadcastConfig config, BroadcastStats stats) {
    this.config = config;
    this.stats = stats;
  }

  // ---- neighbours --------------------------------------------------------------------------

  /** A new neighbour (eager): it gets a slot. */
  void neighborUp(NodeId peer) {
    if (slotOf(peer) >= 0) {
      return;
    }
    int slot = 0;
    while (slot < peers.length && states[slot] != FREE) {
      slot++;
    }
    if (slot == peers.length) {
      int n = peers.length * 2;
      peers = Arrays.copyOf(peers, n);
      hashes = Arrays.copyOf(hashes, n);
      states = Arrays.copyOf(states, n);
      cursors = Arrays.copyOf(cursors, n);
    }
    peers[slot] = peer;
    hashes[slot] = peer.hashCode();
    states[slot] = EAGER;
  }

  void neighborDown(NodeId peer) {
    int slot = slotOf(peer);
    if (slot >= 0) {
      setState(slot, FREE);
      peers[slot] = null;
      lastSlot = -1;
    }
  }

  /** {@code peer} is now lazy: it is owed every item logged from now on. */
  void becameLazy(NodeId peer) {
    int slot = slotOf(peer);
    if (slot < 0) {
      return;
    }
    if (states[slot] != OWED) { // one still owed what it missed before keeps its cursor
      cursors[slot] = nextSeq;
    }
    setState(slot, LAZY);
  }

  /** {@code peer} is now eager: new items are pushed to it, but what it is owed is still sent. */
  void becameEager(NodeId peer) {
    int slot = slotOf(peer);
    if (slot >= 0 && states[slot] == LAZY) {
      setState(slot, cursors[slot] < nextSeq && !log.isEmpty() ? OWED : EAGER);
    }
  }

  // ---- items -------------------------------------------------------------------------------

  /** Whether any peer is lazy: only then is an item worth logging. */
  boolean hasLazyPeers() {
    return lazyCount > 0;
  }

  /** Logs an item to announce, which came from {@code from} (ourselves for a local item). */
  void add(Announcement announcement, NodeId from) {
    if (log.size() >= config.lazyQueueMaxIds()) {
      byId.remove(log.pollFirst().announcement.id());
      stats.increment(BroadcastCounter.LAZY_IDS_DROPPED);
    }
    Entry entry = new Entry(announcement, nextSeq++, bit(slotOf(from)));
    log.addLast(entry);
    byId.put(announcement.id(), entry);
  }

  /**
   * {@code peer} showed it has item {@code id} (it announced or pushed it to us): it will not be
   * told of it. On a lazy link both ends announce each item to the other; whichever is served first
   * spares the other its ids.
   */
  void peerHas(NodeId peer, ItemId id) {
    peerHas(holderMark(peer), id);
  }

  /**
   * {@code peer}'s mark for {@link #peerHas(long, ItemId)}: looked up once per IHAVE rather than
   * once per id (an IHAVE's ids are most of the core's work per message at degree 30).
   */
  long holderMark(NodeId peer) {
    return bit(slotOf(peer));
  }

  /** As {@link #peerHas(NodeId, ItemId)}, for the peer whose {@link #holderMark} is {@code mark}. */
  void peerHas(long mark, ItemId id) {
    Entry e = byId.get(id);
    if (e != null) {
      e.holders |= mark;
    }
  }

  /** The payload cache evicted item {@code id}: it is announced to nobody from now on. */
  void evicted(ItemId id) {
    Entry e = byId.remove(id);
    if (e != null) {
      e.evicted = true;
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
    for (int slot = 0; owedCount > 0 && slot < peers.length; slot++) {
      if (states[slot] == OWED) {
        serve(slot, out);
        setState(slot, EAGER);
      }
    }
    for (int slot : furthestBehind(config.ihaveFanout(lazyCount))) {
      serve(slot, out);
    }
    trim();
    return out;
  }

  /** Entries that the next IHAVE to {@code peer} would carry; for tests. */
  int waitingFor(NodeId peer) {
    int slot = slotOf(peer);
    if (slot < 0 || (states[slot] != LAZY && states[slot] != OWED)) {
      return 0;
    }
    int n = 0;
    for (Entry e : log) {
      if (isOwed(e, slot) && (e.holders & bit(slot)) == 0) {
        n++;
      }
    }
    return n;
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Up to {@code k} lazy slots with entries owed, least recently served first (ties: lower slot). */
  private int[] furthestBehind(int k) {
    int[] chosen = new int[k];
    int n = 0;
    for (int slot = 0; slot < peers.length; slot++) {
      if (states[slot] != LAZY || cursors[slot] >= nextSeq) {
        continue;
      }
      // insertion into the k smallest so far, kept sorted by cursor (k is a few, slots tens)
      int i = Math.min(n, k);
      while (i > 0 && cursors[chosen[i - 1]] > cursors[slot]) {
        if (i < k) {
          chosen[i] = chosen[i - 1];
        }
        i--;
      }
      if (i < k) {
        chosen[i] = slot;
        n = Math.min(n + 1, k);
      }
    }
    return n == k ? chosen : Arrays.copyOf(chosen, n);
  }

  /** Announces to the peer in {@code slot} what it is owed, up to its per-flush budget. */
  private void serve(int slot, List<Batch> out) {
    NodeId peer = peers[slot];
    long bit = bit(slot);
    int maxIds = config.ihaveMaxIds();
    int messages = 0;
    List<Announcement> batch = new ArrayList<>();
    for (Entry e : log) {
      if (!isOwed(e, slot)) {
        continue;
      }
      if ((e.holders & bit) != 0) {
        stats.increment(BroadcastCounter.LAZY_IDS_SKIPPED);
        continue;
      }
      batch.add(e.announcement);
      if (batch.size() == maxIds) {
        out.add(new Batch(peer, new IHave(batch)));
        batch = new ArrayList<>();
        if (++messages == config.ihaveMaxMessagesPerFlush()) {
          cursors[slot] = e.seq + 1; // the rest at its next turn
          return;
        }
      }
    }
    if (!batch.isEmpty()) {
      out.add(new Batch(peer, new IHave(batch)));
    }
    cursors[slot] = nextSeq;
  }

  /** Whether {@code e} is still to be announced to the peer in {@code slot}, unless it has it. */
  private boolean isOwed(Entry e, int slot) {
    return e.seq >= cursors[slot] && !e.evicted;
  }

  /** Drops the entries that no peer is owed any more. */
  private void trim() {
    long oldestOwed = nextSeq;
    for (int slot = 0; slot < peers.length; slot++) {
      if (states[slot] == LAZY || states[slot] == OWED) {
        oldestOwed = Math.min(oldestOwed, cursors[slot]);
      }
    }
    while (!log.isEmpty() && (log.peekFirst().seq < oldestOwed || log.peekFirst().evicted)) {
      byId.remove(log.pollFirst().announcement.id());
    }
  }

  private void setState(int slot, byte state) {
    lazyCount += (state == LAZY ? 1 : 0) - (states[slot] == LAZY ? 1 : 0);
    owedCount += (state == OWED ? 1 : 0) - (states[slot] == OWED ? 1 : 0);
    states[slot] = state;
  }

  /** The slot of neighbour {@code peer}, or -1. */
  private int slotOf(NodeId peer) {
    if (peer == null) {
      return -1;
    }
    if (lastSlot >= 0 && peer.equals(peers[lastSlot])) {
      return lastSlot;
    }
    int hash = peer.hashCode();
    for (int slot = 0; slot < peers.length; slot++) {
      if (hashes[slot] == hash && states[slot] != FREE && peer.equals(peers[slot])) {
        lastSlot = slot;
        return slot;
      }
    }
    return -1;
  }

  /** The slot's bit in {@link Entry#holders}; slots past 64 are never marked. */
  private static long bit(int slot) {
    return slot >= 0 && slot < SLOTS ? 1L << slot : 0;
  }
}
