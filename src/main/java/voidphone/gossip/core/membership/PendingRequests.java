package voidphone.gossip.core.membership;

import java.util.ArrayList;
import java.util.List;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;

/**
 * The requests to become neighbours (JOIN or NEIGHBOR) this node has sent and not seen answered,
 * at most one per peer. Each has a number so that its timeout can tell it from a later request to
 * the same peer. Bounded by the caller; a handful of entries, so a list is the right size.
 */
final class PendingRequests {
  /** Why the request was sent. */
  enum Kind {
    /** A JOIN to a contact; answered with a NEIGHBOR_REPLY like a NEIGHBOR. */
    JOIN,
    /** A high-priority NEIGHBOR to a joiner whose FORWARD_JOIN walk ended here. */
    WALK_END,
    /** A NEIGHBOR to a passive peer, refilling the active view. */
    REFILL,
    /**
     * A high-priority NEIGHBOR of a merge probe: to a peer once unreachable, or to a random passive
     * peer, so that parts of a split overlay find each other again.
     */
    PROBE
  }

  /**
   * @param highPriority the receiver may not refuse it for lack of room (JOIN and WALK_END always,
   *     REFILL when our active view was empty)
   */
  record Pending(Peer peer, long number, Kind kind, boolean highPriority) {}

  private final List<Pending> pending = new ArrayList<>(4);
  private long nextNumber;

  int size() {
    return pending.size();
  }

  Pending find(NodeId peer) {
    for (Pending p : pending) {
      if (p.peer().id().equals(peer)) {
        return p;
      }
    }
    return null;
  }

  boolean contains(NodeId peer) {
    return find(peer) != null;
  }

  Pending add(Peer peer, Kind kind, boolean highPriority) {
    Pending p = new Pending(peer, nextNumber++, kind, highPriority);
    pending.add(p);
    return p;
  }

  /** Removes and returns the request to {@code peer}, or null. */
  Pending remove(NodeId peer) {
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).peer().id().equals(peer)) {
        return pending.remove(i);
      }
    }
    return null;
  }

  /** Removes and returns the request to {@code peer} if it is number {@code number}, else null. */
  Pending remove(NodeId peer, long number) {
    Pending p = find(peer);
    if (p == null || p.number() != number) {
      return null;
    }
    pending.remove(p);
    return p;
  }

  int count(Kind kind) {
    int n = 0;
    for (Pending p : pending) {
      if (p.kind() == kind) {
        n++;
      }
    }
    return n;
  }

  List<Pending> drain() {
    List<Pending> all = List.copyOf(pending);
    pending.clear();
    return all;
  }
}
