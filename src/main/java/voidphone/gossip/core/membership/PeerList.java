package voidphone.gossip.core.membership;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;
import java.util.random.RandomGenerator;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;

/**
 * A bounded set of peers in insertion-independent order, built for views of a few dozen to a few
 * hundred entries held by 100,000 simulated nodes at once: three parallel arrays and no per-entry
 * object. Lookups scan the id hashes (a contiguous int array), which beats a hash map at these
 * sizes and costs no memory. Removal swaps the last entry in, so indices are not stable across
 * removals; random picks go by index. Each entry remembers when it was added, so the newest can be
 * found (it is the one an insistent peer evicts), and who told us of it (its source), so that no
 * one source fills a passive view. Read-only as a {@link java.util.List}.
 */
final class PeerList extends AbstractList<Peer> implements RandomAccess {
  private static final int INITIAL = 8;

  private final int capacity;
  private Peer[] peers;
  private int[] hashes;
  private int[] groups;
  /** Each entry's group by the address its link comes from, {@link AddressGroup#EXEMPT} if unknown. */
  private int[] observedGroups;
  /**
   * The hash of the id of the peer each entry came from: the neighbour whose SHUFFLE, SHUFFLE_REPLY
   * or FORWARD_JOIN named it, or the entry's own id when it vouched for itself on a link. A hash,
   * not the id: a collision only merges two sources' shares.
   */
  private int[] sources;
  /** When each entry was added, as a count of additions: which is the newest. */
  private int[] added;
  private int additions;
  private int size;

  PeerList(int capacity) {
    this.capacity = capacity;
    int initial = Math.min(capacity, INITIAL);
    peers = new Peer[initial];
    hashes = new int[initial];
    groups = new int[initial];
    observedGroups = new int[initial];
    sources = new int[initial];
    added = new int[initial];
  }

  int capacity() {
    return capacity;
  }

  boolean isFull() {
    return size >= capacity;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Peer get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return peers[index];
  }

  /** The address group recorded with the entry at {@code index}. */
  int groupAt(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return groups[index];
  }

  int indexOfId(NodeId id) {
    int hash = id.hashCode();
    for (int i = 0; i < size; i++) {
      if (hashes[i] == hash && peers[i].id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  boolean containsId(NodeId id) {
    return indexOfId(id) >= 0;
  }

  /** The entry with {@code id}, or null. */
  Peer findId(NodeId id) {
    int i = indexOfId(id);
    return i < 0 ? null : peers[i];
  }

  /** Adds a peer not yet present. The caller checks capacity and duplicates first. */
  void add(Peer peer, int group) {
    add(peer, group, AddressGroup.EXEMPT);
  }

  /** The same, with the group of the address its link comes from. */
  void add(Peer peer, int group, int observedGroup) {
    add(peer, group, observedGroup, peer.id());
  }

  /** The same, naming the peer that told us of it. */
  void add(Peer peer, int group, int observedGroup, NodeId source) {
    if (size >= capacity) {
      throw new IllegalStateException("view full at " + capacity);
    }
    if (size == peers.length) {
      int grown = Math.min(capacity, peers.length * 2);
      peers = Arrays.copyOf(peers, grown);
      hashes = Arrays.copyOf(hashes, grown);
      groups = Arrays.copyOf(groups, grown);
      observedGroups = Arrays.copyOf(observedGroups, grown);
      sources = Arrays.copyOf(sources, grown);
      added = Arrays.copyOf(added, grown);
    }
    peers[size] = peer;
    hashes[size] = peer.id().hashCode();
    groups[size] = group;
    observedGroups[size] = observedGroup;
    sources[size] = source.hashCode();
    added[size] = additions++;
    size++;
  }

  Peer removeAt(int index) {
    Peer removed = get(index);
    int last = --size;
    peers[index] = peers[last];
    hashes[index] = hashes[last];
    groups[index] = groups[last];
    observedGroups[index] = observedGroups[last];
    sources[index] = sources[last];
    added[index] = added[last];
    peers[last] = null;
    return removed;
  }

  /** Removes the entry with {@code id}; returns it, or null if there was none. */
  Peer removeId(NodeId id) {
    int i = indexOfId(id);
    return i < 0 ? null : removeAt(i);
  }

  /** How many entries are in {@code group}; 0 for {@link AddressGroup#EXEMPT}. */
  int countGroup(int group) {
    return group == AddressGroup.EXEMPT ? 0 : count(groups, group);
  }

  /** How many of the first {@code size} values of {@code column} are {@code value}. */
  private int count(int[] column, int value) {
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (column[i] == value) {
        count++;
      }
    }
    return count;
  }

  /** The entry added last of those still here; null when empty. */
  Peer newest() {
    int best = -1;
    for (int i = 0; i < size; i++) {
      if (best < 0 || added[i] - added[best] > 0) { // a difference: survives 2^31 additions
        best = i;
      }
    }
    return best < 0 ? null : peers[best];
  }

  /**
   * The index of an entry chosen uniformly among the {@code count} added last of those still here;
   * -1 when empty. Quadratic in the size: for active views (a few dozen), at a forced eviction.
   */
  int randomIndexAmongNewest(int count, RandomGenerator random) {
    if (size == 0) {
      return -1;
    }
    int k = Math.max(1, Math.min(count, size));
    int pick = random.nextInt(k);
    for (int i = 0; i < size; i++) {
      int newer = 0;
      for (int j = 0; j < size; j++) {
        if (added[j] - added[i] > 0) {
          newer++;
        }
      }
      if (newer < k && pick-- == 0) { // fewer than k newer entries: it is one of the k newest
        return i;
      }
    }
    throw new IllegalStateException("the k newest entries number k");
  }

  /** How many entries' links come from {@code group}; 0 for {@link AddressGroup#EXEMPT}. */
  int countObservedGroup(int group) {
    return group == AddressGroup.EXEMPT ? 0 : count(observedGroups, group);
  }

  /** How many entries came from {@code source}. */
  int countSource(NodeId source) {
    return count(sources, source.hashCode());
  }

  /** How many entries came from the source of the entry at {@code index}. */
  int countSourceOf(int index) {
    return count(sources, sources[index]);
  }

  /**
   * The index of an entry whose source has the most entries (ties: one of them at random),
   * preferring one that is in {@code preferred}; -1 when empty. Sorts a copy of the sources: called
   * only when a full passive view takes a new entry.
   */
  int indexOfLargestSource(java.util.List<Peer> preferred, RandomGenerator random) {
    int[] sorted = Arrays.copyOf(sources, size);
    Arrays.sort(sorted);
    int bestSource = 0;
    int bestCount = 0;
    int ties = 0;
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      int count = j - i;
      if (count > bestCount) {
        bestCount = count;
        bestSource = sorted[i];
        ties = 1;
      } else if (count == bestCount && random.nextInt(++ties) == 0) {
        bestSource = sorted[i]; // each of the tied sources kept with probability 1/ties
      }
      i = j;
    }
    if (bestCount == 0) {
      return -1;
    }
    return indexFromSource(bestSource, preferred);
  }

  /**
   * The index of an entry from {@code source} that is in {@code preferred} if there is one, else
   * of the oldest entry from {@code source} (a source replaces what it told us first); -1 if none.
   */
  int indexFromSource(NodeId source, java.util.List<Peer> preferred) {
    return indexFromSource(source.hashCode(), preferred);
  }

  private int indexFromSource(int source, java.util.List<Peer> preferred) {
    for (Peer candidate : preferred) {
      int i = indexOfId(candidate.id());
      if (i >= 0 && sources[i] == source) {
        return i;
      }
    }
    int oldest = -1;
    for (int i = 0; i < size; i++) {
      if (sources[i] == source && (oldest < 0 || added[oldest] - added[i] > 0)) {
        oldest = i;
      }
    }
    return oldest;
  }

  int randomIndex(RandomGenerator random) {
    return random.nextInt(size);
  }

  /**
   * The index of an entry chosen uniformly among those that are neither {@code a} nor {@code b},
   * or -1 if there is none. Works on the hash array, touching no entry it does not return.
   */
  int randomIndexExcept(NodeId a, NodeId b, RandomGenerator random) {
    int skipA = indexOfId(a);
    int skipB = b.equals(a) ? -1 : indexOfId(b);
    int eligible = size - (skipA >= 0 ? 1 : 0) - (skipB >= 0 ? 1 : 0);
    if (eligible <= 0) {
      return -1;
    }
    int pick = random.nextInt(eligible);
    // walk the indices in order, stepping over the skipped ones
    int low = Math.min(skipA, skipB);
    int high = Math.max(skipA, skipB);
    if (low >= 0 && pick >= low) {
      pick++;
    }
    if (high >= 0 && pick >= high) {
      pick++;
    }
    return pick;
  }

  /**
   * Up to {@code count} distinct entries chosen uniformly at random, skipping {@code excluded}
   * (may be null), appended to {@code out}.
   */
  void sample(int count, NodeId excluded, RandomGenerator random, java.util.List<Peer> out) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    int taken = 0;
    for (int i = 0; i < size && taken < count; i++) {
      int j = i + random.nextInt(size - i);
      int pick = order[j];
      order[j] = order[i];
      Peer peer = peers[pick];
      if (excluded == null || !peer.id().equals(excluded)) {
        out.add(peer);
        taken++;
      }
    }
  }
}
