package voidphone.gossip.core;

import java.util.List;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipMessage;

/**
 * What a {@link NodeCore} asks of its driver, as data: the driver (the Netty runtime, or the
 * simulator) takes each from {@link NodeCore#poll} and does it, with one switch over this family,
 * deciding nothing itself.
 */
public sealed interface Output {

  /** Write {@code message} on the link to {@code to}, which is up (the core keeps track). */
  record SendMembership(NodeId to, MembershipMessage message) implements Output {}

  /** Write {@code message} on the link to the neighbour {@code to}. */
  record SendBroadcast(NodeId to, BroadcastMessage message) implements Output {}

  /**
   * Open a link to {@code address}; the peer there must prove {@code expected}, or any identity
   * when it is null (a configured bootstrapper). The outcome comes back as {@link NodeCore#linkUp},
   * {@link NodeCore#alreadyLinked} or {@link NodeCore#dialFailed}, exactly one of them.
   */
  record Dial(PeerAddress address, NodeId expected) implements Output {}

  /**
   * Close the link to {@code peer} once what was written to it has gone out. Its {@link
   * NodeCore#linkDown} follows as for any link; the core knows which closes it asked for.
   */
  record Close(NodeId peer, CloseReason reason) implements Output {}

  /**
   * Read nothing more from the link to {@code peer} for {@code millis}: it sent more than its
   * allowance ({@code NodeSettings.inboundMessagesPerSecond}, {@code inboundBytesPerSecond}). Frames
   * already read are still handed to the core; nothing is dropped.
   */
  record PauseReading(NodeId peer, long millis) implements Output {}

  /** Call {@link NodeCore#timer} with {@code timer} after {@code delayMillis}. */
  record Schedule(long delayMillis, NodeTimer timer) implements Output {}

  /**
   * Hand a new item from the network to the local subscribers of {@code dataType}, then report
   * their verdict with {@link NodeCore#verdict}, exactly once (EXPIRED when they take too long).
   * {@code hops}: how far it travelled, and {@code from}: the neighbour it came from, for
   * measurements and the admin endpoint's live view.
   */
  record Deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops) implements Output {}

  /**
   * The peers this node knows now, most useful first (neighbours, then the passive view): keep
   * them where a restart finds them (the runtime's peer cache file).
   */
  record KnownPeers(List<Peer> peers) implements Output {}

  /**
   * {@code peer} committed {@code offence} and lost standing for it (the core logged it, and a
   * {@link Close} with {@link CloseReason#BANNED} follows when it is banned). For counting only.
   */
  record Penalty(NodeId peer, Reputation.Offence offence) implements Output {}

  /** Why the core closes a link; the words are for the operator's log. */
  enum CloseReason {
    /** Membership dropped the peer (evicted, refused, walk done) and nothing else needs the link. */
    NOT_NEEDED("membership dropped the peer"),
    /** The link carried nothing for a while and the peer is no neighbour. */
    IDLE("idle and not a neighbour"),
    /** The peer misbehaved once too often. */
    BANNED("banned");

    private final String words;

    CloseReason(String words) {
      this.words = words;
    }

    @Override
    public String toString() {
      return words;
    }
  }
}
