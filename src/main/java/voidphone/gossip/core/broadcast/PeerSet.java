package voidphone.gossip.core.broadcast;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import voidphone.gossip.core.NodeId;

/**
 * A small insertion-ordered set of peers (a node's eager or lazy links) kept in two flat arrays.
 *
 * <p>Why not a {@code LinkedHashSet}: the broadcast core asks "is this a neighbour, and which
 * kind" for every IHAVE, duplicate, GRAFT and PRUNE it receives, and the set never holds more than
 * the active view (tens of peers). A scan over an {@code int[]} of hashes is one or two cache
 * lines; a hash set is a table, an entry and a key in three places. At 100,000 simulated nodes,
 * where every lookup touches a different node, that difference is most of the lookup's cost.
 *
 * <p>Iteration order is insertion order, so a run stays reproducible from its seed. Not
 * thread-safe, like the core that owns it.
 */
final class PeerSet extends AbstractSet<NodeId> {
  private NodeId[] peers = new NodeId[8];
  private int[] hashes = new int[8];
  private int size;

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof NodeId id && indexOf(id) >= 0;
  }

  /** Appends {@code peer} unless present; returns whether it was added. */
  @Override
  public boolean add(NodeId peer) {
    int hash = peer.hashCode();
    if (indexOf(peer, hash) >= 0) {
      return false;
    }
    if (size == peers.length) {
      peers = Arrays.copyOf(peers, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
    }
    peers[size] = peer;
    hashes[size] = hash;
    size++;
    return true;
  }

  /** Removes {@code o} if present, keeping the others in order; returns whether it was there. */
  @Override
  public boolean remove(Object o) {
    if (!(o instanceof NodeId id)) {
      return false;
    }
    int i = indexOf(id);
    if (i < 0) {
      return false;
    }
    int after = size - i - 1;
    System.arraycopy(peers, i + 1, peers, i, after);
    System.arraycopy(hashes, i + 1, hashes, i, after);
    peers[--size] = null;
    return true;
  }

  /** The peer at {@code index} in insertion order; for loops that must not allocate an iterator. */
  NodeId get(int index) {
    return peers[index];
  }

  /** A read-only iterator; the core changes the set only through {@link #add} and {@link #remove}. */
  @Override
  public Iterator<NodeId> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public NodeId next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        return peers[next++];
      }
    };
  }

  private int indexOf(NodeId peer) {
    return indexOf(peer, peer.hashCode());
  }

  private int indexOf(NodeId peer, int hash) {
    for (int i = 0; i < size; i++) {
      // the same instance is the common case (ids come from one place), and needs no field reads
      if (hashes[i] == hash && (peers[i] == peer || peers[i].equals(peer))) {
        return i;
      }
    }
    return -1;
  }
}
