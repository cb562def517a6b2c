package voidphone.gossip.core.broadcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;

/**
 * Announcements waiting to be sent to lazy peers as batched IHAVEs: one log for all peers, taken in
 * chunks. Each chunk goes to the peers the caller picks for it (a sample of the lazy peers, see
 * {@link Plumtree}), each getting the chunk's ids except those it brought us or showed it has.
 *
 * <p>One log rather than a queue per lazy peer: an item costs one append here instead of one per
 * lazy peer, which at degree 30 was a quarter of the event loop's time (docs/BENCHMARKS.md).
 *
 * <p>Three bounds: a chunk is at most {@code maxIds} ids (one IHAVE per target); at most {@code
 * maxChunksPerFlush} chunks go out per flush interval (a full chunk goes at once while that budget
 * lasts, the rest at the next flush), so each peer gets at most that many IHAVEs per interval; and
 * at most {@code maxWaiting} announcements wait, the oldest dropped beyond that.
 */
final class LazyAnnouncements {

  /** One IHAVE to send. */
  record Batch(NodeId peer, IHave message) {}

  /** Most peers remembered per entry as already having it; beyond that the IHAVE just repeats it. */
  static final int MAX_HOLDERS = 4;

  private static final class Entry {
    final Announcement announcement;
    /** The peer the item came from: it needs no announcement of it. */
    final NodeId from;
    /** Peers that showed they have the item (an IHAVE or a pushed copy of it). */
    final NodeId[] holders = new NodeId[MAX_HOLDERS];
    int holderCount;

    Entry(Announcement announcement, NodeId from) {
      this.announcement = announcement;
      this.from = from;
    }

    boolean isNewTo(NodeId peer) {
      if (peer.equals(from)) {
        return false;
      }
      for (int i = 0; i < holderCount; i++) {
        if (holders[i].equals(peer)) {
          return false;
        }
      }
      return true;
    }
  }

  private final int maxIds;
  private final int maxChunksPerFlush;
  private final int maxWaiting;
  private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
  private final Map<ItemId, Entry> byId = new HashMap<>();
  private final BroadcastStats stats;
  private int chunksThisInterval;

  LazyAnnouncements(int maxIds, int maxChunksPerFlush, int maxWaiting, BroadcastStats stats) {
    this.maxIds = maxIds;
    this.maxChunksPerFlush = maxChunksPerFlush;
    this.maxWaiting = maxWaiting;
    this.stats = stats;
  }

  /** Queues an announcement of an item that came from {@code from} (ourselves for a local item). */
  void add(Announcement announcement, NodeId from) {
    if (waiting.size() >= maxWaiting) {
      byId.remove(waiting.pollFirst().announcement.id());
      stats.increment(BroadcastCounter.LAZY_IDS_DROPPED);
    }
    Entry entry = new Entry(announcement, from);
    waiting.addLast(entry);
    byId.put(announcement.id(), entry);
  }

  /** Whether a full chunk waits and this interval's budget allows sending it now. */
  boolean fullChunkDue() {
    return waiting.size() >= maxIds && chunksThisInterval < maxChunksPerFlush;
  }

  /**
   * Takes the oldest chunk (up to {@code maxIds} ids) and returns one IHAVE per target that it has
   * news for; counts against this interval's budget.
   */
  List<Batch> takeChunk(List<NodeId> targets) {
    chunksThisInterval++;
    int n = Math.min(maxIds, waiting.size());
    List<Entry> chunk = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Entry e = waiting.pollFirst();
      byId.remove(e.announcement.id());
      chunk.add(e);
    }
    List<Batch> out = new ArrayList<>(targets.size());
    for (NodeId peer : targets) {
      List<Announcement> news = new ArrayList<>(n);
      for (Entry e : chunk) {
        if (e.isNewTo(peer)) {
          news.add(e.announcement);
        } else if (!peer.equals(e.from)) {
          stats.increment(BroadcastCounter.LAZY_IDS_SKIPPED);
        }
      }
      if (!news.isEmpty()) {
        out.add(new Batch(peer, new IHave(news)));
      }
    }
    return out;
  }

  /** A new flush interval: the budget is whole again. */
  void startInterval() {
    chunksThisInterval = 0;
  }

  /** Whether something waits and this interval's budget allows sending a chunk of it. */
  boolean chunkDue() {
    return !waiting.isEmpty() && chunksThisInterval < maxChunksPerFlush;
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  /** Whether another flush is needed: something waits, or a spent budget must be reset. */
  boolean needsFlush() {
    return !waiting.isEmpty() || chunksThisInterval > 0;
  }

  /**
   * {@code peer} showed it has item {@code id} (it announced or pushed it to us): a waiting
   * announcement of it will not be sent to that peer. On a lazy link both ends announce each item
   * to the other; whichever flushes first spares the other its ids.
   */
  void peerHas(NodeId peer, ItemId id) {
    Entry e = byId.get(id);
    if (e != null && e.holderCount < MAX_HOLDERS && e.isNewTo(peer)) {
      e.holders[e.holderCount++] = peer;
    }
  }

  /** Waiting announcements that would go to {@code peer} if it were picked; for tests. */
  int waitingFor(NodeId peer) {
    int n = 0;
    for (Entry e : waiting) {
      if (e.isNewTo(peer)) {
        n++;
      }
    }
    return n;
  }
}
