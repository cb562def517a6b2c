package voidphone.gossip.core.membership;

import java.util.List;
import java.util.Objects;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.ItemId;

/**
 * The messages HyParView peers exchange. The sender of every message is the authenticated peer at
 * the other end of the link it arrived on, so no message names its own sender's id; the messages
 * that may introduce the sender to a peer that does not know it yet (JOIN, NEIGHBOR) carry the
 * sender's advertised address. Byte layouts: {@link MembershipCodec} and
 * {@code docs/protocol/membership.md}.
 */
public sealed interface MembershipMessage {
  /** Largest time to live a walk can carry (one unsigned byte on the wire). */
  int MAX_TTL = 255;

  /** Most peer entries one SHUFFLE or SHUFFLE_REPLY carries. */
  int MAX_ENTRIES = 32;

  /** Most item ids one MERGE_PROBE carries as evidence of the prober's part of the overlay. */
  int MAX_EVIDENCE = 8;

  /** A new node asks the receiver, its contact, to bring it into the overlay. */
  record Join(PeerAddress address) implements MembershipMessage {
    public Join {
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * A random walk introducing {@code joiner} to the overlay: its last node asks the joiner to
   * become its neighbour; the node where {@code ttl} equals PRWL also records it as passive.
   */
  record ForwardJoin(Peer joiner, int ttl) implements MembershipMessage {
    public ForwardJoin {
      Objects.requireNonNull(joiner, "joiner");
      checkTtl(ttl);
    }
  }

  /**
   * The sender asks to become the receiver's neighbour. A high-priority request (the sender's
   * active view is empty, or it ends a join walk) is accepted even if that evicts a neighbour; a
   * low-priority one only if the receiver has room.
   */
  record Neighbor(PeerAddress address, boolean highPriority) implements MembershipMessage {
    public Neighbor {
      Objects.requireNonNull(address, "address");
    }
  }

  /** The answer to a {@link Neighbor} request. */
  record NeighborReply(boolean accepted) implements MembershipMessage {}

  /**
   * The sender drops the receiver from its active view and closes the link. {@code leaving}: the
   * sender is shutting down for good, so the receiver also forgets it; otherwise the receiver keeps
   * it as a passive peer.
   */
  record Disconnect(boolean leaving) implements MembershipMessage {}

  /**
   * A random walk carrying a sample of {@code origin}'s views; its last node answers {@code
   * origin} directly with a {@link ShuffleReply} and takes the entries into its passive view.
   */
  record Shuffle(Peer origin, int ttl, List<Peer> entries) implements MembershipMessage {
    public Shuffle {
      Objects.requireNonNull(origin, "origin");
      checkTtl(ttl);
      entries = checkEntries(entries);
    }
  }

  /**
   * A merge probe: the sender, not a neighbour, asks to become one unless the receiver can tell
   * that the two are in one part of the overlay already: when {@code handover} or one of {@code
   * neighbors} (a sample of the sender's active view) is the receiver or one of its neighbours, or
   * when the receiver has seen one of {@code recentItems} (items the sender received lately).
   * Otherwise it is taken like a high-priority {@link Neighbor}. Answered with a {@link
   * NeighborReply}.
   *
   * @param handover the neighbour the sender will drop to make room if accepted, null when its
   *     view has room: a full receiver introduces the neighbour it drops in turn to it, so that
   *     both dropped nodes find a neighbour again and every degree stays as it was
   */
  record MergeProbe(PeerAddress address, Peer handover, List<NodeId> neighbors, List<ItemId> recentItems)
      implements MembershipMessage {
    public MergeProbe {
      Objects.requireNonNull(address, "address");
      if (recentItems.size() > MAX_EVIDENCE) {
        throw new IllegalArgumentException(
            recentItems.size() + " items, at most " + MAX_EVIDENCE + " fit a message");
      }
      recentItems = List.copyOf(recentItems);
      if (neighbors.size() > MAX_ENTRIES) {
        throw new IllegalArgumentException(
            neighbors.size() + " neighbours, at most " + MAX_ENTRIES + " fit a message");
      }
      neighbors = List.copyOf(neighbors);
    }
  }

  /** The answer to a {@link Shuffle}: a sample of the replier's passive view. */
  record ShuffleReply(List<Peer> entries) implements MembershipMessage {
    public ShuffleReply {
      entries = checkEntries(entries);
    }
  }

  private static void checkTtl(int ttl) {
    if (ttl < 0 || ttl > MAX_TTL) {
      throw new IllegalArgumentException("ttl " + ttl + " is outside 0.." + MAX_TTL);
    }
  }

  private static List<Peer> checkEntries(List<Peer> entries) {
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          entries.size() + " entries, at most " + MAX_ENTRIES + " fit a message");
    }
    return List.copyOf(entries);
  }
}
