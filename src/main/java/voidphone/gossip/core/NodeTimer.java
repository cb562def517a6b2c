package voidphone.gossip.core;

import voidphone.gossip.core.broadcast.BroadcastTimer;
import voidphone.gossip.core.membership.MembershipTimer;

/**
 * Every timer a {@link NodeCore} sets ({@link Output.Schedule}); the driver hands each back through
 * {@link NodeCore#timer} once its delay has passed. Timers are never cancelled: one that no longer
 * matters is recognised and ignored when it fires.
 */
public sealed interface NodeTimer {
  /** A timer of the membership protocol. */
  record Membership(MembershipTimer timer) implements NodeTimer {}

  /** A timer of the broadcast protocol. */
  record Broadcast(BroadcastTimer timer) implements NodeTimer {}

  /** Time to close idle links to peers that are no neighbours, and to bootstrap if isolated. */
  record Sweep() implements NodeTimer {}

  /** Time for the next bootstrap round (after failed bootstrap dials). */
  record BootstrapRetry() implements NodeTimer {}

  /** Time to hand the known peers to the driver for the peer cache. */
  record SavePeers() implements NodeTimer {}

  /**
   * A membership message was for a banned peer: report the peer's link as failed to membership,
   * a moment later (not from inside the call that sent it).
   */
  record DialRefused(NodeId peer) implements NodeTimer {}

  Sweep SWEEP = new Sweep();
  BootstrapRetry BOOTSTRAP_RETRY = new BootstrapRetry();
  SavePeers SAVE_PEERS = new SavePeers();
}
