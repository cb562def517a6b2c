package voidphone.gossip.core.broadcast;

import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;

/**
 * What the Plumtree core asks of its driver (the Netty runtime, or the simulator). The core calls
 * these from inside its input methods, on the driver's thread.
 */
public interface BroadcastIo {

  /** Send {@code message} to the neighbour {@code peer} (the core only addresses neighbours). */
  void send(NodeId peer, BroadcastMessage message);

  /**
   * Call {@link Plumtree#timerFired} with {@code timer} after {@code delayMillis}. Timers are never
   * cancelled; the core ignores one that has become irrelevant.
   */
  void schedule(long delayMillis, BroadcastTimer timer);

  /**
   * A new item arrived from {@code from} after {@code hops} hops: hand it to the local subscribers
   * of {@code dataType}, then report their verdict with {@link Plumtree#validated}. Every delivery
   * must get exactly one verdict eventually ({@link Verdict#EXPIRED} when they take too long); until
   * then the item is neither forwarded nor announced. The verdict may be given from inside this call.
   */
  void deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops);

  /**
   * {@code peer} misbehaved; the driver scores it and disconnects on repeat. Returns true when this
   * offence got it banned: its link is being closed, and nothing more of it should be handled.
   */
  boolean penalize(NodeId peer, Reputation.Offence why);
}
