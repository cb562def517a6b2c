package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.NodeTimer;
import voidphone.gossip.core.Output;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.Verdict;
import voidphone.gossip.core.membership.MembershipMessage;

/**
 * One simulated peer: the {@link NodeCore} it runs, as in production, its end of the simulated
 * links, the dials it has under way, and a few timestamps for the metrics. It is the simulator's
 * driver of its core: every input is followed by {@link #drain}, one switch over the core's
 * outputs that hands each to the {@link Simulation}, as {@code PeerService} hands them to Netty.
 */
final class SimNode {
  private static final long NEVER = -1;
  /** A frame's length prefix (4 bytes) and channel byte, before TLS. */
  private static final int FRAME_OVERHEAD = 5;

  /** A dial under way: how it ends is reported to the core with exactly this address and id. */
  record PendingDial(PeerAddress address, NodeId expected, int target) {}

  final int index;
  final Peer peer;
  private final Simulation sim;
  private final BroadcastLog log;
  private final long validationDelayMillis;
  /** Null once the node crashed or left, so that a dead node's state can be collected. */
  NodeCore core;
  /** Null for an honest node; a sybil's misbehaviour otherwise. */
  final Adversary adversary;
  /**
   * The IP address this node's links come from, as its peers see it: the host it advertises, but
   * for sybils that share a few real addresses while advertising one of their own each.
   */
  final String observedHost;

  private SimLink[] links = new SimLink[4];
  /** The node at the other end of each link, so that lookups scan ints, not link objects. */
  private int[] linkPeers = new int[4];
  private int linkCount;
  /** Null while no dial is under way (most of the time: no list per idle node). */
  private List<PendingDial> dials;

  long joinedAt = NEVER;
  long firstNeighborAt = NEVER;
  long halfFullAt = NEVER;
  long fullAt = NEVER;

  SimNode(int index, Peer peer, NodeCore core, Simulation sim, BroadcastLog log, long validationDelayMillis,
      Adversary adversary, String observedHost) {
    this.index = index;
    this.adversary = adversary;
    this.observedHost = observedHost;
    this.peer = peer;
    this.core = core;
    this.sim = sim;
    this.log = log;
    this.validationDelayMillis = validationDelayMillis;
  }

  boolean alive() {
    return core != null;
  }

  boolean honest() {
    return adversary == null;
  }

  // ------------------------------------------------------------ inputs

  void deliver(int from, Object message, long now) {
    switch (message) {
      case MembershipMessage m -> core.receive(sim.id(from), m, now);
      case BroadcastMessage m -> {
        if (adversary != null) {
          for (BroadcastMessage extra : adversary.received(m)) {
            sendToNeighbors(extra, from);
          }
        }
        core.receive(sim.id(from), m, now);
      }
      default -> throw new IllegalStateException("not a peer message: " + message.getClass());
    }
    drain(now);
  }

  void fire(Object timer, long now) {
    switch (timer) {
      case NodeTimer t -> core.timer(t, now);
      case VerdictDue v -> core.verdict(v.id(), v.verdict(), now);
      case Adversary.Tick t -> attackTick(now);
      default -> throw new IllegalStateException("not a timer: " + timer.getClass());
    }
    drain(now);
  }

  /** The link to {@code peer} is up at this end; {@code dialled} is the dial it ends, if any. */
  void linkUp(int peer, PeerAddress dialled, long now) {
    core.linkUp(sim.id(peer), sim.address(peer), sim.node(peer).observedHost, dialled, now);
    drain(now);
  }

  void alreadyLinked(PendingDial dial, long now) {
    core.alreadyLinked(dial.address(), sim.id(dial.target()), sim.address(dial.target()), now);
    drain(now);
  }

  void linkDown(int peer, long now) {
    core.linkDown(sim.id(peer), now);
    drain(now);
  }

  void dialFailed(PendingDial dial, DialFailure failure, long now) {
    core.dialFailed(dial.address(), dial.expected(), failure, failure.name().toLowerCase(), now);
    drain(now);
  }

  /** Carries out every output the core has queued, in order; a verdict given here queues more. */
  void drain(long now) {
    Output output;
    while ((output = core.poll()) != null) {
      switch (output) {
        case Output.SendMembership s -> {
          if (adversary == null || adversary.sends(s.message())) {
            sim.transmit(this, s.to(), s.message());
          }
        }
        case Output.SendBroadcast s -> {
          if (adversary != null) {
            BroadcastMessage out = adversary.outgoing(s.message());
            if (out != null) {
              sim.transmit(this, s.to(), out);
            }
          } else {
            int frameBytes = FRAME_OVERHEAD + BroadcastCodec.encodedSize(s.message());
            if (s.message() instanceof BroadcastMessage.Gossip g) {
              log.payloadSent(g.id(), frameBytes);
            } else {
              sim.countControlBytes(frameBytes);
              log.controlSent(s.message(), frameBytes);
            }
            sim.transmit(this, s.to(), s.message());
          }
        }
        case Output.Dial d -> sim.dial(this, d.address(), d.expected());
        case Output.Close c -> {
          if (c.reason() == Output.CloseReason.BANNED) {
            sim.banned(this, c.peer());
          }
          if (adversary == null || !adversary.active() || !adversary.eclipses()) {
            sim.close(this, c.peer()); // an eclipsing sybil holds on to every link it has
          }
        }
        case Output.Schedule s -> sim.schedule(this, s.delayMillis(), s.timer());
        case Output.PauseReading p -> sim.pauseReading(this, p.peer(), p.millis());
        case Output.Deliver d -> {
          if (adversary != null) {
            // a sybil takes everything, but spreads no sybil's invalid items among the sybils:
            // they are one attacker, and what it wants is for honest nodes to carry them
            core.verdict(d.id(), d.data()[0] == Adversary.INVALID_MARK ? Verdict.UNWANTED : Verdict.VALID, now);
            continue;
          }
          log.delivered(d.id(), index, d.hops(), now);
          // the simulated subscriber rejects what a sybil marked invalid, and nothing else
          Verdict verdict = d.data()[0] == Adversary.INVALID_MARK ? Verdict.INVALID : Verdict.VALID;
          if (validationDelayMillis == 0) {
            core.verdict(d.id(), verdict, now);
          } else {
            sim.schedule(this, validationDelayMillis, new VerdictDue(d.id(), verdict));
          }
        }
        case Output.KnownPeers k -> {} // the simulator has no disk to keep them on
        case Output.Penalty p -> sim.penalized(this, p.peer());
      }
    }
    noteViewSize(now);
  }

  /** A sybil's flood timer: one flood message to each neighbour, or one invalid item. */
  private void attackTick(long now) {
    if (adversary == null || !adversary.active()) {
      return;
    }
    if (adversary.attack == Attack.INVALID_FLOOD) {
      core.announce(0, Simulation.ITEM_DATA_TYPE, adversary.invalidData(), now);
      drain(now);
    } else if (adversary.eclipses()) {
      press();
    } else if (adversary.attack == Attack.CHATTER) {
      for (Peer p : core.activeView()) {
        for (int i = 0; i < Adversary.CHATTER_PER_TICK; i++) {
          sim.transmit(this, p.id(), Adversary.CHATTER_MESSAGE);
        }
      }
    } else if (adversary.attack == Attack.SHUFFLE_POISON) {
      int entries = sim.config().membership().maxEntriesAccepted(); // a whole SHUFFLE's worth
      for (Peer p : core.activeView()) {
        sim.transmit(this, p.id(), adversary.poison(sim.sybilPeers(), entries));
      }
    } else {
      sendToNeighbors(adversary.flood(), -1);
    }
    sim.schedule(this, adversary.interval(), Adversary.TICK);
  }

  /**
   * Eclipse pressure: a high-priority NEIGHBOR to each victim that does not hold this sybil in its
   * active view, on the link if there is one up, else a dial (the request goes at the next tick).
   */
  private void press() {
    for (int victim : adversary.victims()) {
      if (!sim.isAlive(victim) || sim.isNeighbor(victim, index)) {
        continue;
      }
      SimLink link = linkTo(victim);
      if (link != null && link.upAt(index) && link.live()) {
        sim.transmit(this, sim.id(victim), new MembershipMessage.Neighbor(peer.address(), true));
      } else if (link == null && (dials == null || dials.stream().noneMatch(d -> d.target() == victim))) {
        sim.dial(this, sim.address(victim), sim.id(victim));
      }
    }
  }

  /**
   * Adds up, over this node's links to peers {@code which} accepts, the messages its core handled
   * from them during the attack ({@code [0]}) and the milliseconds they took ({@code [1]}).
   */
  void addHandledFrom(java.util.function.IntPredicate which, long[] sums) {
    for (int i = 0; i < linkCount; i++) {
      if (which.test(linkPeers[i])) {
        sums[0] += links[i].handledAt(index);
        sums[1] += links[i].handledSpanAt(index);
      }
    }
  }

  /** A sybil sends {@code message} itself to every node in its active view but {@code except}. */
  private void sendToNeighbors(BroadcastMessage message, int except) {
    for (Peer p : core.activeView()) {
      int peer = sim.indexOf(p.id());
      if (peer != except) {
        sim.transmit(this, p.id(), message);
      }
    }
  }

  private void noteViewSize(long now) {
    if (fullAt != NEVER) {
      return;
    }
    int size = core.activeView().size();
    int capacity = sim.config().membership().activeCapacity();
    if (firstNeighborAt == NEVER && size > 0) {
      firstNeighborAt = now;
    }
    if (halfFullAt == NEVER && size > 0 && 2 * size >= capacity) {
      halfFullAt = now;
    }
    if (size >= capacity) {
      fullAt = now;
    }
  }

  /** The node crashed or left: its broadcast counts are kept, its state released. */
  void retire() {
    log.retire(core.broadcastStats());
    core = null;
    dials = null;
  }

  // ------------------------------------------------------------ dials

  void addDial(PendingDial dial) {
    if (dials == null) {
      dials = new ArrayList<>(2);
    }
    dials.add(dial);
  }

  /** Takes out the dials of {@code target} under way, in the order they were made; empty if none. */
  List<PendingDial> takeDials(int target) {
    if (dials == null) {
      return List.of();
    }
    List<PendingDial> taken = new ArrayList<>(1);
    dials.removeIf(d -> d.target() == target && taken.add(d));
    if (dials.isEmpty()) {
      dials = null;
    }
    return taken;
  }

  /** Takes out exactly {@code dial}; whether it was still under way. */
  boolean takeDial(PendingDial dial) {
    if (dials == null || !dials.remove(dial)) {
      return false;
    }
    if (dials.isEmpty()) {
      dials = null;
    }
    return true;
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
