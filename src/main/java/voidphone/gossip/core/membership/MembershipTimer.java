package voidphone.gossip.core.membership;

import voidphone.gossip.core.NodeId;

/**
 * Timers {@link HyParView} asks its driver to set. The driver hands each back through {@link
 * HyParView#onTimer} once its delay has passed. Timers are never cancelled: one that no longer
 * matters (a request already answered) is recognised and ignored when it fires.
 */
public sealed interface MembershipTimer {
  /** Time to start a shuffle, refresh the refill budget and top up the active view. */
  record ShuffleTick() implements MembershipTimer {}

  /** The NEIGHBOR request number {@code request} to {@code peer} may have gone unanswered. */
  record NeighborTimeout(NodeId peer, long request) implements MembershipTimer {}

  /** Time to send the JOIN again if this node still has no neighbour. */
  record JoinRetry() implements MembershipTimer {}

  /**
   * Time for a merge probe. {@code generation} tells a probe from one that was rescheduled since
   * (a failure brings the next probe forward; the old timer then finds it no longer matters).
   */
  record MergeProbe(long generation) implements MembershipTimer {}

  /** The one shuffle tick; it carries nothing, so one instance serves every node. */
  ShuffleTick SHUFFLE_TICK = new ShuffleTick();

  /** The one join retry. */
  JoinRetry JOIN_RETRY = new JoinRetry();
}
