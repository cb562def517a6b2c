package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;

/**
 * A discrete-event simulation of many gossip peers in one thread, in virtual time. Events are
 * ordered by time, then by the order they were scheduled in; every random choice comes from one
 * seeded generator (or a generator split from it), so a seed replays a run exactly.
 *
 * <p>The network model is that of {@code MembershipIo}: links are made by sending, carry messages
 * in order with a fixed per-pair latency, and end by a close (the other end hears of it one
 * latency later) or by breaking (crash, loss or failed dial; both ends hear of it after the
 * failure-detection delay). Messages pass as objects, never encoded.
 *
 * <p>Given a {@link BroadcastSetup}, every node also hosts Plumtree cores (one per channel), fed by
 * its membership core's neighbour events; {@link #broadcast} starts an item and traces it.
 *
 * <p>Cost: a node holds its cores and its link table, nothing else; no event scans all nodes.
 * Node {@code i}'s id carries {@code i} in its last word, which is how a send finds its target
 * without a map.
 */
public final class Simulation {
  private final SimConfig config;
  private final SplittableRandom random;
  private final EventQueue queue = new EventQueue();
  private final List<SimNode> nodes = new ArrayList<>();
  /** First word of each node's id: checks an id against its index without touching the node. */
  private long[] idWords = new long[1024];
  /**
   * Each node's id, by index: a receiver names the sender to its cores without touching the
   * sender's node (one cache miss fewer per message at 100,000 nodes).
   */
  private NodeId[] ids = new NodeId[1024];
  private long now;
  private long seq;
  private long processed;
  /** Messages and link events scheduled but not yet processed (timers excluded). */
  private long inFlight;
  /** While true, timers that come due are parked instead of fired (see {@link #runUntilQuiet}). */
  private boolean holdTimers;
  private final List<Event> heldTimers = new ArrayList<>();
  private double loss;
  private long lostMessages;
  /** Membership messages sent, and of those merge probes: the cost figures of the overlay. */
  private long membershipMessages;
  private long mergeProbes;
  /** Links opened by a send (each a dial and, in the runtime, a TLS handshake). */
  private long linksOpened;
  /**
   * Each node's side of a network partition, null while there is none: nodes on different sides
   * cannot reach each other (links between them break, dials between them time out).
   */
  private byte[] side;
  /** Null when the nodes host no broadcast core. */
  private final BroadcastSetup broadcastSetup;
  /**
   * The broadcast cores' own generator (nonces), apart from {@link #random}: hosting them does not
   * change the overlay a seed builds.
   */
  private final SplittableRandom broadcastRandom;
  private final BroadcastLog[] broadcastLogs;

  /** Nodes that run membership only. */
  public Simulation(SimConfig config) {
    this(config, null);
  }

  /** Nodes that also host the broadcast cores of {@code broadcast} (null for none). */
  public Simulation(SimConfig config, BroadcastSetup broadcast) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    this.loss = config.loss();
    this.broadcastSetup = broadcast;
    this.broadcastRandom = new SplittableRandom(~config.seed());
    int channels = broadcast == null ? 0 : broadcast.channels().size();
    this.broadcastLogs = new BroadcastLog[channels];
    for (int c = 0; c < channels; c++) {
      broadcastLogs[c] = new BroadcastLog();
    }
  }

  /** Changes the loss rate from now on (see {@link SimConfig#loss}), e.g. for a bad spell. */
  public void setLoss(double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException("loss " + value + " is outside [0, 1)");
    }
    loss = value;
  }

  public SimConfig config() {
    return config;
  }

  /** Virtual time in milliseconds since the start. */
  public long now() {
    return now;
  }

  /** Messages lost so far, each of which broke its link. */
  public long lostMessages() {
    return lostMessages;
  }

  /** Membership messages sent so far (each counted once, lost or not). */
  public long membershipMessages() {
    return membershipMessages;
  }

  /** MERGE_PROBE messages sent so far. */
  public long mergeProbes() {
    return mergeProbes;
  }

  /** Links opened so far: dials (in the runtime each a TCP and TLS handshake), failed ones too. */
  public long linksOpened() {
    return linksOpened;
  }

  /** Events processed so far. */
  public long eventsProcessed() {
    return processed;
  }

  public int size() {
    return nodes.size();
  }

  SimNode node(int index) {
    return nodes.get(index);
  }

  NodeId id(int index) {
    return ids[index];
  }

  /** The generator for choices the experiment makes (who joins where, who crashes). */
  SplittableRandom random() {
    return random;
  }

  // ------------------------------------------------------------ population

  /** Creates a node that knows nobody yet; returns its index. */
  public int addNode() {
    int index = nodes.size();
    NodeId id = new NodeId(random.nextLong(), random.nextLong(), random.nextLong(), index);
    // each node in a /24 of its own, so the anti-eclipse bound is active but never binds
    String host = (10 + (index >>> 16)) + "." + ((index >>> 8) & 0xFF) + "." + (index & 0xFF) + ".1";
    Peer peer = new Peer(id, new PeerAddress(host, 7000));
    if (index == idWords.length) {
      idWords = java.util.Arrays.copyOf(idWords, 2 * index);
      ids = java.util.Arrays.copyOf(ids, 2 * index);
    }
    idWords[index] = id.w0();
    ids[index] = id;
    SimNode node = new SimNode(index, peer, config.membership(), random.split(), this);
    if (broadcastSetup != null) {
      SimBroadcast[] channels = new SimBroadcast[broadcastLogs.length];
      for (int c = 0; c < channels.length; c++) {
        channels[c] = new SimBroadcast(node, c, broadcastSetup.channels().get(c),
            broadcastSetup.validationDelayMillis(), broadcastRandom.split(), this, broadcastLogs[c]);
      }
      node.broadcast = channels;
    }
    nodes.add(node);
    return index;
  }

  /**
   * Node {@code index} joins through {@code contact}, now. As in the runtime, the link to the
   * contact is dialled first; the simulation lets it open at once.
   */
  public void join(int index, int contact) {
    SimNode node = nodes.get(index);
    if (!node.alive()) {
      throw new IllegalStateException("node " + index + " crashed or left; it cannot join");
    }
    node.joinedAt = now;
    node.membership.join(nodes.get(contact).peer, now);
  }

  /**
   * Makes {@code a} and {@code b} neighbours now, as if each had sent the other a high-priority
   * NEIGHBOR request and the two had crossed: a link opens, both cores take the other into their
   * active view (evicting someone if full) and answer with an accept, which arrives one latency
   * later. A fast way to lay out a large overlay; it skips the join walks, so passive views start
   * empty and fill from shuffles. Does nothing if either node is gone or they are neighbours.
   */
  public void introduce(int a, int b) {
    SimNode x = nodes.get(a);
    SimNode y = nodes.get(b);
    if (a == b || !x.alive() || !y.alive() || x.membership.isNeighbor(y.peer.id())) {
      return;
    }
    SimLink link = x.linkTo(b);
    if (link != null && link.state != SimLink.State.OPEN) {
      return; // a link on its way down: the accepts would be lost
    }
    if (link == null) {
      link = new SimLink(a, b);
      x.addLink(link);
      y.addLink(link);
    }
    x.membership.onMessage(y.peer.id(), new Neighbor(y.peer.address(), true), now);
    y.membership.onMessage(x.peer.id(), new Neighbor(x.peer.address(), true), now);
  }

  /**
   * Cuts the network in two: from now on the nodes for which {@code cut} is true and the others
   * cannot reach each other, as when a router drops every packet between them. Every open link
   * across the cut breaks (each end notices after the failure-detection delay, as a keepalive
   * timeout would tell it) and every dial across it fails after that delay. Nodes added later are
   * on the uncut side. {@link #heal} undoes it.
   */
  public void partition(java.util.function.IntPredicate cut) {
    side = new byte[Math.max(nodes.size(), 1)];
    for (int i = 0; i < nodes.size(); i++) {
      side[i] = cut.test(i) ? (byte) 1 : 0;
    }
    for (SimNode node : nodes) {
      if (!node.alive() || side[node.index] != 1) {
        continue;
      }
      for (SimLink link : node.linksSnapshot()) {
        if (link.state == SimLink.State.OPEN && !reachable(link.a, link.b)) {
          breakLink(link);
        }
      }
    }
  }

  /** Ends the partition: every node can reach every other again (links that broke stay broken). */
  public void heal() {
    side = null;
  }

  /** Whether {@code a} and {@code b} are on the same side of the partition (always, with none). */
  boolean reachable(int a, int b) {
    return side == null || sideOf(a) == sideOf(b);
  }

  private int sideOf(int node) {
    return node < side.length ? side[node] : 0;
  }

  public boolean isAlive(int index) {
    return nodes.get(index).alive();
  }

  /** The node's neighbours (its active view), as indices; empty for a dead node. */
  public int[] neighbors(int index) {
    SimNode node = nodes.get(index);
    if (!node.alive()) {
      return new int[0];
    }
    var view = node.membership.activeView();
    int[] result = new int[view.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = indexOf(view.get(i).id());
    }
    return result;
  }

  public int activeSize(int index) {
    SimNode node = nodes.get(index);
    return node.alive() ? node.membership.activeView().size() : 0;
  }

  public int passiveSize(int index) {
    SimNode node = nodes.get(index);
    return node.alive() ? node.membership.passiveView().size() : 0;
  }

  public boolean isNeighbor(int index, int peer) {
    SimNode node = nodes.get(index);
    return node.alive() && node.membership.isNeighbor(nodes.get(peer).peer.id());
  }

  /** Join progress of one node: virtual ms from its join to reaching each milestone, or -1. */
  public JoinTiming joinTiming(int index) {
    SimNode node = nodes.get(index);
    return new JoinTiming(
        since(node.joinedAt, node.firstNeighborAt),
        since(node.joinedAt, node.halfFullAt),
        since(node.joinedAt, node.fullAt),
        activeSize(index));
  }

  private static long since(long start, long at) {
    return start < 0 || at < 0 ? -1 : at - start;
  }

  /** The node crashes: it says nothing, and its peers notice after the detection delay. */
  public void crash(int index) {
    SimNode node = nodes.get(index);
    if (!node.alive()) {
      return;
    }
    node.membership = null;
    node.dropBroadcast();
    for (SimLink link : node.drainLinks()) {
      if (link.state == SimLink.State.OPEN) {
        link.state = SimLink.State.BROKEN;
        // the survivor keeps the broken link until it notices, so its sends are lost, not redialled
        schedule(config.failureDetectionMillis(), Event.Kind.LINK_BROKEN, link.other(index), index,
            null, link);
      }
    }
  }

  /** The node leaves gracefully: its core says goodbye, then its process exits. */
  public void leave(int index) {
    SimNode node = nodes.get(index);
    if (!node.alive()) {
      return;
    }
    node.membership.leave(now);
    node.membership = null;
    node.dropBroadcast();
    for (SimLink link : node.drainLinks()) {
      close(node, link); // the process exits: what it had sent still arrives
    }
  }

  // ------------------------------------------------------------ broadcast

  /**
   * Node {@code index} announces {@code data} now, on every channel (each channel's item has its
   * own id). Returns the items' positions in the channels' traces.
   */
  public int broadcast(int index, int dataType, byte[] data) {
    SimNode node = nodes.get(index);
    if (node.broadcast == null) {
      throw new IllegalStateException(
          node.alive() ? "this simulation hosts no broadcast core" : "node " + index + " is gone");
    }
    int position = broadcastLogs[0].items().size();
    for (int c = 0; c < broadcastLogs.length; c++) {
      // the core sends the first copies before it returns the id: the log takes the id from them
      broadcastLogs[c].open(index, now);
      ItemId id = node.broadcast[c].core.broadcast(0, dataType, data, now);
      broadcastLogs[c].close(id);
    }
    return position;
  }

  BroadcastLog broadcastLog(int channel) {
    return broadcastLogs[channel];
  }

  /** Sum of a broadcast counter over every core of a channel, the gone ones included. */
  public long broadcastCount(int channel, BroadcastCounter counter) {
    long sum = broadcastLogs[channel].retired(counter);
    for (SimNode node : nodes) {
      if (node.broadcast != null) {
        sum += node.broadcast[channel].core.stats().get(counter);
      }
    }
    return sum;
  }

  // ------------------------------------------------------------ running

  /** Processes every event due up to {@code time}, then sets the clock to it. */
  public void runUntil(long time) {
    while (true) {
      Event next = queue.peek();
      if (next == null || next.time > time) {
        break;
      }
      process(queue.poll());
    }
    now = Math.max(now, time);
  }

  public void runFor(long millis) {
    runUntil(now + millis);
  }

  /**
   * Lets every message and link event in flight settle while holding timers back, so that no
   * new activity starts; then releases the held timers. Returns whether the network fell quiet
   * within {@code maxMillis}. Used to look at views with no handshake half done.
   */
  public boolean runUntilQuiet(long maxMillis) {
    long deadline = now + maxMillis;
    holdTimers = true;
    try {
      while (inFlight > 0) {
        Event next = queue.peek();
        if (next == null || next.time > deadline) {
          break;
        }
        process(queue.poll());
      }
    } finally {
      holdTimers = false;
    }
    boolean quiet = inFlight == 0;
    for (Event held : heldTimers) {
      queue.add(new Event(now, seq++, held.kind, held.node, held.peer, held.payload, null));
    }
    heldTimers.clear();
    return quiet;
  }

  private void process(Event e) {
    if (e.kind == Event.Kind.TIMER && holdTimers) {
      heldTimers.add(e);
      return;
    }
    now = e.time;
    processed++;
    if (e.kind != Event.Kind.TIMER) {
      inFlight--;
    }
    SimNode node = nodes.get(e.node);
    if (!node.alive()) {
      return;
    }
    switch (e.kind) {
      case DELIVER -> {
        if (e.link.carries(e.peer)) {
          node.deliver(e.peer, e.payload, now);
        }
      }
      case TIMER -> node.fire(e.payload, now);
      case LINK_BROKEN -> {
        if (node.removeLink(e.link)) {
          node.linkDown(e.peer, now);
        }
      }
      case REMOTE_CLOSE -> {
        // gone already if this node closed it too, or dropped it as broken
        if (node.removeLink(e.link)) {
          node.linkDown(e.peer, now);
        }
      }
    }
  }

  // ------------------------------------------------------------ network, called by SimNode

  void send(SimNode from, NodeId to, Object message) {
    countMembership(message);
    int target = indexOf(to);
    if (target < 0) {
      return; // no simulated node has that id: nobody answers at its address
    }
    SimLink link = from.linkTo(target);
    if (link == null) {
      linksOpened++;
      link = new SimLink(from.index, target);
      from.addLink(link);
      if (!nodes.get(target).alive() || !reachable(from.index, target)) {
        link.state = SimLink.State.BROKEN; // the dial fails after a timeout
        schedule(config.failureDetectionMillis(), Event.Kind.LINK_BROKEN, from.index, target,
            null, link);
        return;
      }
      SimNode peer = nodes.get(target);
      SimLink stale = peer.linkTo(from.index);
      if (stale != null) {
        // the peer still holds a link this node dropped (closed, or broken and not yet noticed
        // there): as in the runtime, where the new link takes over from the old one without a
        // link-down, the old one leaves its table quietly and its pending report finds it gone
        peer.removeLink(stale);
      }
      peer.addLink(link);
    }
    transmit(from, link, message);
  }

  void reply(SimNode from, NodeId to, Object message) {
    countMembership(message);
    SimLink link = from.linkTo(indexOf(to));
    if (link != null) {
      transmit(from, link, message);
    }
  }

  private void countMembership(Object message) {
    if (message instanceof MembershipMessage m) {
      membershipMessages++;
      if (m instanceof MembershipMessage.MergeProbe) {
        mergeProbes++;
      }
    }
  }

  void disconnect(SimNode from, NodeId peer) {
    SimLink link = from.linkTo(indexOf(peer));
    if (link == null) {
      return;
    }
    from.removeLink(link);
    close(from, link);
    // a link that broke or that the peer closed is not reported once the core dropped it: the
    // pending LINK_BROKEN or REMOTE_CLOSE finds it gone from the table
  }

  void schedule(SimNode node, long delayMillis, Object timer) {
    queue.add(new Event(now + delayMillis, seq++, Event.Kind.TIMER, node.index, -1, timer, null));
  }

  /**
   * {@code closer} closes an open link: what it sent still arrives, then the close, one latency
   * later. Until the close arrives the other end keeps the link, and what it sends is lost, as
   * with a socket whose peer has gone.
   */
  private void close(SimNode closer, SimLink link) {
    if (link.state != SimLink.State.OPEN) {
      return;
    }
    link.state = SimLink.State.CLOSED;
    link.closer = closer.index;
    int other = link.other(closer.index);
    schedule(latency(closer.index, other), Event.Kind.REMOTE_CLOSE, other, closer.index, null, link);
  }

  private void transmit(SimNode from, SimLink link, Object message) {
    if (link.state != SimLink.State.OPEN) {
      return;
    }
    int to = link.other(from.index);
    if (loss > 0 && random.nextDouble() < loss) {
      lostMessages++;
      breakLink(link);
      return;
    }
    schedule(latency(from.index, to), Event.Kind.DELIVER, to, from.index, message, link);
  }

  /** The link breaks: nothing more crosses it, and each end learns after the detection delay. */
  private void breakLink(SimLink link) {
    link.state = SimLink.State.BROKEN;
    schedule(config.failureDetectionMillis(), Event.Kind.LINK_BROKEN, link.a, link.b, null, link);
    schedule(config.failureDetectionMillis(), Event.Kind.LINK_BROKEN, link.b, link.a, null, link);
  }

  private void schedule(long delay, Event.Kind kind, int node, int peer, Object payload, SimLink link) {
    inFlight++;
    queue.add(new Event(now + delay, seq++, kind, node, peer, payload, link));
  }

  /** One-way latency of a pair: fixed for the pair, so each link delivers in order. */
  long latency(int a, int b) {
    int span = config.latencyMaxMillis() - config.latencyMinMillis() + 1;
    long pair = ((long) Math.min(a, b) << 32) | Math.max(a, b);
    long h = mix(config.seed() ^ mix(pair));
    return config.latencyMinMillis() + Math.floorMod(h, span);
  }

  private static long mix(long z) { // the SplitMix64 finaliser
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  int indexOf(NodeId id) {
    long index = id.w3();
    if (index < 0 || index >= nodes.size()) {
      return -1;
    }
    return idWords[(int) index] == id.w0() ? (int) index : -1;
  }
}
