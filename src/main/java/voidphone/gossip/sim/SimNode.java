package voidphone.gossip.sim;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.BroadcastTimer;
import voidphone.gossip.core.membership.HyParView;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.core.membership.MembershipIo;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.core.membership.MembershipTimer;

/**
 * One simulated peer: the protocol cores it runs, its end of the simulated links, and a few
 * timestamps for the metrics. It is the driver of its cores, so it implements their output
 * interfaces and hands outputs to the {@link Simulation}.
 *
 * <p>To host another protocol (Plumtree), give this class a field for its core, route that
 * protocol's messages and timers in {@link #deliver} and {@link #fire}, implement its output
 * interface the way {@link MembershipIo} is implemented here, and pass {@link #neighborUp} /
 * {@link #neighborDown} on to it. Messages travel as objects, so any message type works. The
 * broadcast cores ({@link SimBroadcast}, one per channel) are hosted that way.
 */
final class SimNode implements MembershipIo {
  private static final long NEVER = -1;

  final int index;
  final Peer peer;
  private final Simulation sim;
  /** Null once the node crashed or left, so that a dead node's state can be collected. */
  HyParView membership;
  /** One broadcast core per channel; null when the simulation hosts none, or the node is gone. */
  SimBroadcast[] broadcast;

  private SimLink[] links = new SimLink[4];
  /** The node at the other end of each link, so that lookups scan ints, not link objects. */
  private int[] linkPeers = new int[4];
  private int linkCount;

  long joinedAt = NEVER;
  long firstNeighborAt = NEVER;
  long halfFullAt = NEVER;
  long fullAt = NEVER;

  SimNode(int index, Peer peer, MembershipConfig config, RandomGenerator random, Simulation sim) {
    this.index = index;
    this.peer = peer;
    this.sim = sim;
    this.membership = new HyParView(peer, config, random, this);
  }

  boolean alive() {
    return membership != null;
  }

  // ------------------------------------------------------------ inputs routed by family

  void deliver(int from, Object message, long now) {
    switch (message) {
      case MembershipMessage m -> membership.onMessage(sim.id(from), m, now);
      case BroadcastMessage m -> broadcast[0].onMessage(sim.id(from), m, now);
      case Tagged t when t.content() instanceof BroadcastMessage m ->
          broadcast[t.channel()].onMessage(sim.id(from), m, now);
      default -> throw new IllegalStateException("no protocol for " + message.getClass());
    }
  }

  void fire(Object timer, long now) {
    switch (timer) {
      case MembershipTimer t -> membership.onTimer(t, now);
      case BroadcastTimer t -> broadcast[0].onTimer(t, now);
      case VerdictDue v -> broadcast[0].onTimer(v, now);
      case Tagged t -> broadcast[t.channel()].onTimer(t.content(), now);
      default -> throw new IllegalStateException("no protocol for " + timer.getClass());
    }
  }

  void linkDown(int peer, long now) {
    membership.linkDown(sim.id(peer), now);
  }

  // ------------------------------------------------------------ MembershipIo

  @Override
  public void send(Peer to, MembershipMessage message) {
    sim.send(this, to.id(), message);
  }

  @Override
  public void reply(NodeId to, MembershipMessage message) {
    sim.reply(this, to, message);
  }

  @Override
  public void disconnect(NodeId peer) {
    sim.disconnect(this, peer);
  }

  @Override
  public void schedule(long delayMillis, MembershipTimer timer) {
    sim.schedule(this, delayMillis, timer);
  }

  @Override
  public void neighborUp(NodeId peer) {
    int size = membership.activeView().size();
    long now = sim.now();
    int capacity = sim.config().membership().activeCapacity();
    if (firstNeighborAt == NEVER) {
      firstNeighborAt = now;
    }
    if (halfFullAt == NEVER && 2 * size >= capacity) {
      halfFullAt = now;
    }
    if (fullAt == NEVER && size >= capacity) {
      fullAt = now;
    }
    if (broadcast != null) {
      for (SimBroadcast channel : broadcast) {
        channel.core.neighborUp(peer);
      }
    }
  }

  @Override
  public void neighborDown(NodeId peer) {
    if (broadcast != null) {
      for (SimBroadcast channel : broadcast) {
        channel.core.neighborDown(peer);
      }
    }
  }

  /** The node crashed or left: its broadcast counts are kept, its broadcast state released. */
  void dropBroadcast() {
    if (broadcast != null) {
      for (SimBroadcast channel : broadcast) {
        channel.retire();
      }
      broadcast = null;
    }
  }

  // ------------------------------------------------------------ link table

  SimLink linkTo(int peer) {
    for (int i = 0; i < linkCount; i++) {
      if (linkPeers[i] == peer) {
        return links[i];
      }
    }
    return null;
  }

  void addLink(SimLink link) {
    if (linkCount == links.length) {
      links = Arrays.copyOf(links, linkCount * 2);
      linkPeers = Arrays.copyOf(linkPeers, linkCount * 2);
    }
    linkPeers[linkCount] = link.other(index);
    links[linkCount++] = link;
  }

  boolean removeLink(SimLink link) {
    for (int i = 0; i < linkCount; i++) {
      if (links[i] == link) {
        linkCount--;
        links[i] = links[linkCount];
        linkPeers[i] = linkPeers[linkCount];
        links[linkCount] = null;
        return true;
      }
    }
    return false;
  }

  /** This node's links now, as a copy. */
  SimLink[] linksSnapshot() {
    return Arrays.copyOf(links, linkCount);
  }

  /** Takes every link away from this node, for a crash or a departure. */
  SimLink[] drainLinks() {
    SimLink[] all = Arrays.copyOf(links, linkCount);
    Arrays.fill(links, 0, linkCount, null);
    linkCount = 0;
    return all;
  }
}
