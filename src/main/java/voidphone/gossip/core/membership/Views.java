package voidphone.gossip.core.membership;

import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;

/**
 * The active and passive views of one {@link HyParView} and the rules every change to them obeys:
 * capacities, disjointness, never ourselves, the anti-eclipse bound, evictions. It is the only
 * place that changes the active view, so {@code neighborUp}/{@code neighborDown} are emitted here
 * and stay in step with it.
 */
final class Views {
  private static final Logger log = LoggerFactory.getLogger(HyParView.class);

  final PeerList active;
  final PeerList passive;
  private final NodeId self;
  private final int maxPerGroup;
  private final RandomGenerator random;
  private final MembershipIo io;

  Views(NodeId self, MembershipConfig config, RandomGenerator random, MembershipIo io) {
    this.self = self;
    this.active = new PeerList(config.activeCapacity());
    this.passive = new PeerList(config.passiveCapacity());
    this.maxPerGroup = config.maxPeersPerSubnet();
    this.random = random;
    this.io = io;
  }

  boolean isNeighbor(NodeId peer) {
    return active.containsId(peer);
  }

  /** What makes room in a full active view for a new neighbour. */
  enum Room {
    /** Nothing: the peer is not taken. */
    NONE,
    /** A random neighbour goes: this node asked for the link and insisted (the paper's rule). */
    RANDOM,
    /**
     * The newest neighbour goes: the peer insisted (a JOIN, a high-priority NEIGHBOR). Anyone may
     * insist, and an honest node with an empty view must be able to, so insisting cannot be
     * refused; this way it costs only the slot the last insistent peer took, and a thousand
     * identities pressing one node hold one of its slots, never the neighbours it has had longer.
     */
    NEWEST
  }

  /**
   * Puts {@code peer} into the active view, making room as {@code room} says when it is full.
   * {@code bounded}: the anti-eclipse bound applies. Returns whether the peer is a neighbour now.
   */
  boolean addActive(Peer peer, Room room, boolean bounded) {
    if (active.containsId(peer.id())) {
      return true;
    }
    int group = groupOf(peer);
    int observed = observedGroup(peer.id());
    if (bounded && (overBound(active, group) || overObservedBound(observed))) {
      return false;
    }
    if (active.isFull()) {
      switch (room) {
        case NONE -> {
          return false;
        }
        case RANDOM -> evict(active.get(active.randomIndex(random)), null);
        case NEWEST -> evict(active.newest(), null);
      }
    }
    passive.removeId(peer.id());
    active.add(peer, group, observed);
    io.neighborUp(peer.id());
    log.debug("neighbour {} up ({} of {})", peer, active.size(), active.capacity());
    return true;
  }

  /** Takes {@code peer} out of the active view; returns its entry, or null if it was not there. */
  Peer removeActive(NodeId peer) {
    Peer removed = active.removeId(peer);
    if (removed != null) {
      io.neighborDown(peer);
    }
    return removed;
  }

  void dropPassive(NodeId peer) {
    passive.removeId(peer);
  }

  /**
   * Drops the neighbour {@code victim} to make room: it is told with DISCONNECT (after {@code
   * first}, when given), its link is closed and it moves to the passive view.
   */
  void evict(Peer victim, MembershipMessage first) {
    active.removeId(victim.id());
    io.neighborDown(victim.id());
    if (first != null) {
      io.send(victim, first);
    }
    io.send(victim, new Disconnect(false));
    io.disconnect(victim.id());
    log.debug("neighbour {} evicted to make room", victim);
    addPassive(victim, List.of());
  }

  /**
   * Records {@code peer} in the passive view unless it is us, a neighbour, already known, or in an
   * address group that is full. When the view is full an entry is evicted, one of {@code
   * evictFirst} if any is present (the paper's rule: what we just gave away), else a random one.
   */
  void addPassive(Peer peer, List<Peer> evictFirst) {
    NodeId id = peer.id();
    if (id.equals(self) || active.containsId(id) || passive.containsId(id)) {
      return;
    }
    int group = groupOf(peer);
    if (overBound(passive, group)) {
      return;
    }
    if (passive.isFull()) {
      int victim = -1;
      for (Peer candidate : evictFirst) {
        victim = passive.indexOfId(candidate.id());
        if (victim >= 0) {
          break;
        }
      }
      passive.removeAt(victim >= 0 ? victim : passive.randomIndex(random));
    }
    passive.add(peer, group);
  }

  /** A neighbour chosen uniformly among those that are neither {@code a} nor {@code b}, or null. */
  Peer randomNeighborExcept(NodeId a, NodeId b) {
    int index = active.randomIndexExcept(a, b, random);
    return index < 0 ? null : active.get(index);
  }

  /** Whether the active view has room for one more peer of {@code peer}'s address groups. */
  boolean activeGroupHasRoom(Peer peer) {
    return !overBound(active, groupOf(peer)) && !overObservedBound(observedGroup(peer.id()));
  }

  /** Whether the active view has room for one more peer of the passive entry at {@code index}. */
  boolean activeGroupHasRoomForPassive(int index) {
    return !overBound(active, passive.groupAt(index));
  }

  private int groupOf(Peer peer) {
    return maxPerGroup == 0 ? AddressGroup.EXEMPT : AddressGroup.of(peer.address());
  }

  private boolean overBound(PeerList view, int group) {
    return maxPerGroup > 0 && view.countGroup(group) >= maxPerGroup;
  }

  /**
   * Whether the active view holds {@code maxPerGroup} neighbours whose links come from the address
   * group {@code observed}: many identities behind one address (or one /24, one /64) count as one
   * operator, whatever addresses they advertise. Loopback is exempt, as for advertised addresses;
   * a peer without a known link address is judged by what it advertises.
   */
  private boolean overObservedBound(int observed) {
    return maxPerGroup > 0 && active.countObservedGroup(observed) >= maxPerGroup;
  }

  private int observedGroup(NodeId peer) {
    String host = maxPerGroup == 0 ? null : io.observedHost(peer);
    return host == null ? AddressGroup.EXEMPT : AddressGroup.of(new PeerAddress(host, 1));
  }
}
