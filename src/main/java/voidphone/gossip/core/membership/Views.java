package voidphone.gossip.core.membership;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.TokenBucket;
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
  private final double shufflesPerSecond;
  /** Each neighbour's allowance of SHUFFLEs; dropped with the neighbour. */
  private final Map<NodeId, TokenBucket> shuffleAllowance = new HashMap<>();

  Views(NodeId self, MembershipConfig config, RandomGenerator random, MembershipIo io) {
    this.self = self;
    this.active = new PeerList(config.activeCapacity());
    this.passive = new PeerList(config.passiveCapacity());
    this.maxPerGroup = config.maxPeersPerSubnet();
    this.random = random;
    this.io = io;
    this.shufflesPerSecond = config.shufflesPerNeighborPerSecond();
  }

  /**
   * Whether a SHUFFLE from the neighbour {@code peer} at {@code nowMillis} is within its allowance
   * ({@link MembershipConfig#SHUFFLES_PER_NEIGHBOR_PER_PERIOD}); takes it if so.
   */
  boolean takeShuffle(NodeId peer, long nowMillis) {
    return shuffleAllowance
        .computeIfAbsent(peer, p -> new TokenBucket(shufflesPerSecond, 2.0 * MembershipConfig.SHUFFLES_PER_NEIGHBOR_PER_PERIOD))
        .tryAcquire(nowMillis);
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
     * The newest neighbour goes: the peer insisted with a high-priority NEIGHBOR or a merge probe.
     * Anyone may insist, and an honest node with an empty view must be able to, so insisting
     * cannot be refused; this way it costs only the slot the last insistent peer took, and a
     * thousand identities pressing one node hold one of its slots, never the neighbours it has had
     * longer.
     */
    NEWEST,
    /**
     * A random one of the newer half goes: the peer JOINed through us. Joins are what forms an
     * overlay, thousands at once, and the paper's random eviction is what mixes it: evicting the
     * newest instead stacked newcomers behind one another and made the broadcast tree a quarter
     * deeper (docs/BENCHMARKS.md). The older half is out of reach, so identities JOINing without
     * end hold at most half of a node's slots.
     */
    YOUNGER_HALF
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
        case YOUNGER_HALF -> evict(active.get(active.randomIndexAmongNewest((active.size() + 1) / 2, random)), null);
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
      shuffleAllowance.remove(peer);
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
    shuffleAllowance.remove(victim.id());
    io.neighborDown(victim.id());
    if (first != null) {
      io.send(victim, first);
    }
    io.send(victim, new Disconnect(false));
    io.disconnect(victim.id());
    log.debug("neighbour {} evicted to make room", victim);
    addPassive(victim);
  }

  /** Records {@code peer}, which vouched for itself on a link, in the passive view. */
  void addPassive(Peer peer) {
    addPassive(peer, List.of(), peer.id());
  }

  /**
   * Records {@code peer}, named by {@code source}, in the passive view unless it is us, a
   * neighbour, already known, or in an address group that is full. When the view is full, the
   * largest source gives up an entry: {@code source} itself if it has told us of as many peers as
   * anyone (it only replaces what it told us before), otherwise the source with the most entries.
   * Of that source's entries, one of {@code evictFirst} goes if any is present (the paper's rule:
   * what we just gave away), else its oldest. So a neighbour that shuffles with us a thousand
   * times a second still holds no more of the view than the honest neighbour that told us most.
   */
  void addPassive(Peer peer, List<Peer> evictFirst, NodeId source) {
    NodeId id = peer.id();
    if (id.equals(self) || active.containsId(id) || passive.containsId(id)) {
      return;
    }
    int group = groupOf(peer);
    if (overBound(passive, group)) {
      return;
    }
    if (passive.isFull()) {
      int largest = passive.indexOfLargestSource(evictFirst, random);
      int own = passive.countSource(source);
      int victim = own > 0 && own >= passive.countSourceOf(largest)
          ? passive.indexFromSource(source, evictFirst)
          : largest;
      passive.removeAt(victim);
    }
    passive.add(peer, group, AddressGroup.EXEMPT, source);
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
