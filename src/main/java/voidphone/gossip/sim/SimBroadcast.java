package voidphone.gossip.sim;

import java.util.random.RandomGenerator;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastIo;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.BroadcastTimer;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.broadcast.Plumtree;
import voidphone.gossip.core.broadcast.Verdict;

/**
 * The driver of one node's Plumtree core on one channel, as {@code PeerService} is in the runtime:
 * messages go over the node's existing links only (the runtime never dials for a broadcast
 * message), timers run on the virtual clock, and every delivery is answered VALID by a simulated
 * subscriber, at once or after the setup's validation delay.
 */
final class SimBroadcast implements BroadcastIo {
  final Plumtree core;
  private final int channel;
  private final SimNode node;
  private final Simulation sim;
  private final BroadcastLog log;
  private final long validationDelayMillis;

  SimBroadcast(SimNode node, int channel, BroadcastConfig config, long validationDelayMillis,
      RandomGenerator random, Simulation sim, BroadcastLog log) {
    this.node = node;
    this.channel = channel;
    this.sim = sim;
    this.log = log;
    this.validationDelayMillis = validationDelayMillis;
    this.core = new Plumtree(node.peer.id(), config, random, this);
  }

  void onMessage(NodeId from, BroadcastMessage message, long now) {
    core.receive(from, message, now);
  }

  void onTimer(Object timer, long now) {
    switch (timer) {
      case BroadcastTimer t -> core.timerFired(t, now);
      case VerdictDue v -> core.validated(v.id(), Verdict.VALID, now);
      default -> throw new IllegalStateException("not a broadcast timer: " + timer.getClass());
    }
  }

  /** The node is gone: its counts go to the log, its state to the collector. */
  void retire() {
    log.retire(core.stats());
  }

  // ------------------------------------------------------------ BroadcastIo

  @Override
  public void send(NodeId peer, BroadcastMessage message) {
    if (message instanceof BroadcastMessage.Gossip g) {
      log.payloadSent(g.id());
    }
    sim.reply(node, peer, Tagged.wrap(channel, message));
  }

  @Override
  public void schedule(long delayMillis, BroadcastTimer timer) {
    sim.schedule(node, delayMillis, Tagged.wrap(channel, timer));
  }

  @Override
  public void deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops) {
    long now = sim.now();
    log.delivered(id, node.index, hops, now);
    if (validationDelayMillis == 0) {
      core.validated(id, Verdict.VALID, now);
    } else {
      sim.schedule(node, validationDelayMillis, Tagged.wrap(channel, new VerdictDue(id)));
    }
  }

  @Override
  public void penalize(NodeId peer, Reputation.Offence why) {
    log.penalized(); // every simulated peer is honest: a penalty here is a bug worth counting
  }
}
