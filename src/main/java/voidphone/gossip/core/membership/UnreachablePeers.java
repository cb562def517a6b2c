package voidphone.gossip.core.membership;

import java.util.ArrayList;
import java.util.List;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;

/**
 * Peers this node could not reach, kept apart from the passive view so that a merge probe can try
 * them again: after a partition the addresses of the other side are exactly these, and the passive
 * view, refreshed by shuffles within one side, soon stops naming them. Bounded by {@code
 * capacity} (the oldest entry goes first) and by {@code retentionMillis} (an entry not found
 * unreachable again for that long is forgotten). Small, so a list is the right shape.
 */
final class UnreachablePeers {
  private record Entry(Peer peer, long lostAtMillis) {}

  private final int capacity;
  private final long retentionMillis;
  private final List<Entry> entries = new ArrayList<>();
  /** Where the round-robin of {@link #next} continues. */
  private int cursor;

  UnreachablePeers(int capacity, long retentionMillis) {
    this.capacity = capacity;
    this.retentionMillis = retentionMillis;
  }

  /**
   * Records that {@code peer} could not be reached at {@code nowMillis}. A peer remembered already
   * keeps the time it was first found unreachable, so that a dead peer tried again and again is
   * still forgotten after the retention time.
   */
  void add(Peer peer, long nowMillis) {
    if (capacity == 0 || contains(peer.id())) {
      return;
    }
    if (entries.size() == capacity) {
      entries.remove(0);
    }
    entries.add(new Entry(peer, nowMillis));
  }

  /** Forgets {@code peer}: it was reached, or it left for good. */
  void remove(NodeId peer) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).peer().id().equals(peer)) {
        entries.remove(i);
        if (cursor > i) {
          cursor--;
        }
        return;
      }
    }
  }

  boolean contains(NodeId peer) {
    for (Entry e : entries) {
      if (e.peer().id().equals(peer)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any peer is remembered once the expired ones are forgotten. */
  boolean isEmpty(long nowMillis) {
    expire(nowMillis);
    return entries.isEmpty();
  }

  int size() {
    return entries.size();
  }

  /**
   * The next peer to try, in turn, skipping those {@code skip} rejects; null when none is left.
   * Each remembered peer is tried once before any is tried again.
   */
  Peer next(long nowMillis, java.util.function.Predicate<NodeId> skip) {
    expire(nowMillis);
    for (int k = 0; k < entries.size(); k++) {
      if (cursor >= entries.size()) {
        cursor = 0;
      }
      Peer peer = entries.get(cursor++).peer();
      if (!skip.test(peer.id())) {
        return peer;
      }
    }
    return null;
  }

  /** The remembered peers, oldest first. */
  List<Peer> peers() {
    List<Peer> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.peer());
    }
    return out;
  }

  private void expire(long nowMillis) {
    int kept = 0;
    int cursorBefore = cursor;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (nowMillis - e.lostAtMillis() < retentionMillis) {
        entries.set(kept++, e);
      } else if (i < cursorBefore) {
        cursor--;
      }
    }
    entries.subList(kept, entries.size()).clear();
  }
}
