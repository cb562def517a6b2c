package voidphone.gossip.sim;

import static voidphone.gossip.core.SplitMix.mix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.NodeSettings;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.sim.SimNode.PendingDial;

/**
 * A discrete-event simulation of many gossip peers in one thread, in virtual time. Every node runs
 * the production {@link NodeCore}; the simulation plays the links and the clock. Events are ordered
 * by time, then by the order they were scheduled in; every random choice comes from one seeded
 * generator (or a generator split from it), so a seed replays a run exactly.
 *
 * <p>The link model is the runtime's: a dial takes a handshake (the dialling end is up after five
 * one-way latencies, the accepting end after six: TCP, TLS 1.3 and the HELLO/ACCEPT exchange), so
 * the two ends learn of a link at different moments and dials from both ends at once meet on one
 * link; a dial of a dead or unreachable node fails after the failure-detection delay, and one of a
 * node that banned the dialler is refused at the handshake; messages on a
 * link arrive in order with a fixed per-pair latency; a link ends by a close (the other end hears of
 * it one latency later) or by breaking (crash, loss, partition; both ends hear of it after the
 * failure-detection delay). Messages pass as objects, never encoded.
 *
 * <p>Cost: a node holds its core and its link table, nothing else; no event scans all nodes. Node
 * {@code i}'s id carries {@code i} in its last word, which is how a send finds its target without
 * a map.
 */
public final class Simulation {
  /** One-way latencies until the dialling end of a new link is up, and the accepting end. */
  static final int DIALLER_UP_LATENCIES = 5;
  static final int ACCEPTOR_UP_LATENCIES = 6;
  /** Data type of the simulated items; every simulated node subscribes to it. */
  static final int ITEM_DATA_TYPE = 1;

  private final SimConfig config;
  private final SplittableRandom random;
  private final VirtualClock clock = new VirtualClock(this::process);
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<PeerAddress, Integer> byAddress = new HashMap<>();
  /** First word of each node's id: checks an id against its index without touching the node. */
  private long[] idWords = new long[1024];
  /**
   * Each node's id, by index: a receiver names the sender to its core without touching the
   * sender's node (one cache miss fewer per message at 100,000 nodes).
   */
  private NodeId[] ids = new NodeId[1024];
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
  /** Dials (in the runtime each a TCP and TLS handshake), failed ones too. */
  private long linksOpened;
  /** Penalties given by honest nodes: [0] to honest peers, [1] to sybils. */
  private final long[] penalties = new long[2];
  private long sybilBans;
  private final List<Peer> sybilPeers = new ArrayList<>();
  private boolean attackStarted;
  private NodeId censored;
  private long honestControlBytes;
  /**
   * Each node's side of a network partition, null while there is none: nodes on different sides
   * cannot reach each other (links between them break, dials between them time out).
   */
  private byte[] side;
  private final BroadcastConfig broadcastConfig;
  private final long validationDelayMillis;
  private final BroadcastLog broadcastLog = new BroadcastLog();

  /** Nodes whose broadcast cores run the defaults (and see no item unless one is broadcast). */
  public Simulation(SimConfig config) {
    this(config, BroadcastSetup.of(BroadcastConfig.defaults()));
  }

  public Simulation(SimConfig config, BroadcastSetup broadcast) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    this.loss = config.loss();
    this.broadcastConfig = broadcast.broadcast();
    this.validationDelayMillis = broadcast.validationDelayMillis();
    SimProgress.started(this);
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
    return clock.now();
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

  /** Dials so far (in the runtime each a TCP and TLS handshake), failed ones too. */
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

  PeerAddress address(int index) {
    return nodes.get(index).peer.address();
  }

  /** The generator for choices the experiment makes (who joins where, who crashes). */
  SplittableRandom random() {
    return random;
  }

  // ------------------------------------------------------------ population

  /** Creates a node that knows nobody yet, and starts it; returns its index. */
  public int addNode() {
    return addNode(null, null);
  }

  /**
   * Creates a sybil that knows nobody yet and starts it: a production core whose sends and
   * receipts pass through {@code attack}'s {@link Adversary}, which keeps quiet until {@link
   * #startAttack} (at once, if the attack has started). Its links come from {@code observedHost},
   * or from the address it advertises when that is null: many sybils may share one real address
   * while each advertises a /24 of its own.
   */
  public int addSybil(Attack attack, String observedHost) {
    Adversary adversary = new Adversary(attack, random.split());
    adversary.censor(censored);
    int index = addNode(adversary, observedHost);
    sybilPeers.add(nodes.get(index).peer);
    if (attackStarted) {
      startAttack(nodes.get(index), honestNodes());
    }
    return index;
  }

  private List<Integer> honestNodes() {
    List<Integer> honest = new ArrayList<>();
    for (SimNode node : nodes) {
      if (node.honest() && node.alive()) {
        honest.add(node.index);
      }
    }
    return honest;
  }

  /**
   * Node {@code index} is the attacks' victim from now on: the one whose items {@link Attack#CENSOR}
   * drops, and the one {@link Attack#ECLIPSE_ONE} presses.
   */
  public void censor(int index) {
    censored = ids[index];
    for (SimNode node : nodes) {
      if (node.adversary != null) {
        node.adversary.censor(censored);
      }
    }
  }

  private int addNode(Adversary adversary, String observedHost) {
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
    byAddress.put(peer.address(), index);
    NodeCore core = new NodeCore(peer, NodeSettings.defaults(), config.membership(), broadcastConfig,
        random.split(), Reputation.withDefaults(), List.of(), List.of());
    SimNode node = new SimNode(index, peer, core, this, broadcastLog, validationDelayMillis, adversary,
        observedHost == null ? host : observedHost);
    nodes.add(node);
    core.start(clock.now());
    node.drain(clock.now());
    return index;
  }

  /**
   * Node {@code index} joins through {@code contact}, now, as a node whose configuration names
   * the contact's address as its bootstrapper: it dials the address, and once the link is up it
   * sends JOIN; a failed dial is retried with the runtime's backoff.
   */
  public void join(int index, int contact) {
    SimNode node = nodes.get(index);
    if (!node.alive()) {
      throw new IllegalStateException("node " + index + " crashed or left; it cannot join");
    }
    node.joinedAt = clock.now();
    node.core.addBootstrapper(address(contact), clock.now());
    node.drain(clock.now());
  }

  /**
   * Makes {@code a} and {@code b} neighbours now, as if each had sent the other a high-priority
   * NEIGHBOR request and the two had crossed: a link is up at once at both ends, both cores take
   * the other into their active view (evicting someone if full) and answer with an accept, which
   * arrives one latency later. A fast way to lay out a large overlay; it skips the dials and the
   * join walks, so passive views start empty and fill from shuffles. Does nothing if either node
   * is gone or a link between them exists already.
   */
  public void introduce(int a, int b) {
    SimNode x = nodes.get(a);
    SimNode y = nodes.get(b);
    if (a == b || !x.alive() || !y.alive() || x.linkTo(b) != null || y.linkTo(a) != null) {
      return;
    }
    SimLink link = new SimLink(a, b);
    x.addLink(link);
    y.addLink(link);
    link.markUp(a);
    link.markUp(b);
    x.linkUp(b, null, clock.now());
    y.linkUp(a, null, clock.now());
    x.deliver(b, new Neighbor(y.peer.address(), true), clock.now());
    y.deliver(a, new Neighbor(x.peer.address(), true), clock.now());
  }

  /**
   * Cuts the network in two: from now on the nodes for which {@code cut} is true and the others
   * cannot reach each other, as when a router drops every packet between them. Every link across
   * the cut breaks (each end notices after the failure-detection delay, as a keepalive timeout
   * would tell it) and every dial across it fails after that delay. Nodes added later are on the
   * uncut side. {@link #heal} undoes it.
   */
  public void partition(IntPredicate cut) {
    side = new byte[Math.max(nodes.size(), 1)];
    for (int i = 0; i < nodes.size(); i++) {
      side[i] = cut.test(i) ? (byte) 1 : 0;
    }
    for (SimNode node : nodes) {
      if (!node.alive() || side[node.index] != 1) {
        continue;
      }
      for (SimLink link : node.linksSnapshot()) {
        if (link.live() && !reachable(link.a, link.b)) {
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

  /** The node's passive view as indices (-1 for an entry that names no node); empty for a dead node. */
  public int[] passivePeers(int index) {
    SimNode node = nodes.get(index);
    return node.alive() ? indicesOf(node.core.passiveView()) : new int[0];
  }

  /** Every sybil's own entry (identity and advertised address), in the order they were added. */
  List<Peer> sybilPeers() {
    return sybilPeers;
  }

  /** The node's neighbours (its active view), as indices; empty for a dead node. */
  public int[] neighbors(int index) {
    SimNode node = nodes.get(index);
    return node.alive() ? indicesOf(node.core.activeView()) : new int[0];
  }

  private int[] indicesOf(List<Peer> view) {
    int[] result = new int[view.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = indexOf(view.get(i).id());
    }
    return result;
  }

  public int activeSize(int index) {
    SimNode node = nodes.get(index);
    return node.alive() ? node.core.activeView().size() : 0;
  }

  public int passiveSize(int index) {
    SimNode node = nodes.get(index);
    return node.alive() ? node.core.passiveView().size() : 0;
  }

  public boolean isNeighbor(int index, int peer) {
    SimNode node = nodes.get(index);
    return node.alive() && node.core.isNeighbor(nodes.get(peer).peer.id());
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
    node.retire();
    for (SimLink link : node.drainLinks()) {
      if (link.live()) {
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
    node.core.leave(clock.now());
    node.drain(clock.now());
    node.retire();
    for (SimLink link : node.drainLinks()) {
      endLink(node, link); // the process exits: what it had sent still arrives
    }
  }

  // ------------------------------------------------------------ broadcast

  /** Every sybil starts misbehaving now, and every sybil added later as it comes. */
  public void startAttack() {
    attackStarted = true;
    List<Integer> honest = honestNodes(); // once: every sybil of a whole-network eclipse picks from it
    for (SimNode node : nodes) {
      startAttack(node, honest);
    }
  }

  private void startAttack(SimNode node, List<Integer> honest) {
    if (node.adversary != null && node.alive() && !node.adversary.active()) {
      switch (node.adversary.attack) {
        case ECLIPSE_ONE -> node.adversary.aimAt(censored == null ? new int[0] : new int[] {indexOf(censored)});
        case ECLIPSE_ALL -> node.adversary.aimAt(node.adversary.pick(honest, config.membership().activeCapacity()));
        default -> {}
      }
      long firstTick = node.adversary.start();
      if (firstTick >= 0) {
        schedule(node, firstTick, Adversary.TICK);
      }
    }
  }

  /** Bytes of IHAVE, GRAFT and PRUNE frames honest nodes sent so far (length prefix and channel included). */
  public long honestControlBytes() {
    return honestControlBytes;
  }

  void countControlBytes(long bytes) {
    honestControlBytes += bytes;
  }

  /** Sum of a broadcast counter over the live honest nodes' cores. */
  public long honestBroadcastCount(BroadcastCounter counter) {
    long sum = 0;
    for (SimNode node : nodes) {
      if (node.alive() && node.honest()) {
        sum += node.core.broadcastStats().get(counter);
      }
    }
    return sum;
  }

  public boolean isHonest(int index) {
    return nodes.get(index).honest();
  }

  /** {@code node}'s core penalised {@code peer}: counted when an honest node did it, by whom it hit. */
  void penalized(SimNode node, NodeId peer) {
    if (node.honest()) {
      penalties[honestTarget(peer) ? 0 : 1]++;
    }
  }

  /**
   * {@code node}'s core banned {@code peer}: counted when an honest node banned a sybil (an
   * honest peer banned was penalised first, and that is counted already).
   */
  void banned(SimNode node, NodeId peer) {
    if (node.honest() && !honestTarget(peer)) {
      sybilBans++;
    }
  }

  private boolean honestTarget(NodeId peer) {
    int target = indexOf(peer);
    return target >= 0 && nodes.get(target).honest();
  }

  /** Penalties honest nodes gave honest peers so far: each is a defence hurting the innocent. */
  public long honestPenalties() {
    return penalties[0];
  }

  /** Penalties honest nodes gave sybils so far. */
  public long sybilPenalties() {
    return penalties[1];
  }

  /** Bans of sybils by honest nodes so far. */
  public long sybilBans() {
    return sybilBans;
  }

  /** Node {@code index} announces {@code data} now. Returns the item's position in the trace. */
  public int broadcast(int index, int dataType, byte[] data) {
    SimNode node = nodes.get(index);
    if (!node.alive()) {
      throw new IllegalStateException("node " + index + " is gone");
    }
    int position = broadcastLog.items().size();
    ItemId id = node.core.announce(0, dataType, data, clock.now());
    broadcastLog.announced(index, clock.now(), id);
    node.drain(clock.now());
    return position;
  }

  BroadcastLog broadcastLog() {
    return broadcastLog;
  }

  /** Sum of a broadcast counter over every node's core, the gone ones included. */
  public long broadcastCount(BroadcastCounter counter) {
    long sum = broadcastLog.retired(counter);
    for (SimNode node : nodes) {
      if (node.alive()) {
        sum += node.core.broadcastStats().get(counter);
      }
    }
    return sum;
  }

  // ------------------------------------------------------------ running

  /** Processes every event due up to {@code time}, then sets the clock to it. */
  public void runUntil(long time) {
    clock.runUntil(time);
  }

  public void runFor(long millis) {
    runUntil(clock.now() + millis);
  }

  /**
   * Lets every message and link event in flight settle while holding timers back, so that no
   * new activity starts; then releases the held timers. Returns whether the network fell quiet
   * within {@code maxMillis}. Used to look at views with no handshake half done.
   */
  public boolean runUntilQuiet(long maxMillis) {
    long deadline = clock.now() + maxMillis;
    holdTimers = true;
    try {
      while (inFlight > 0 && clock.runNext(deadline)) {
        // each step processes one event
      }
    } finally {
      holdTimers = false;
    }
    boolean quiet = inFlight == 0;
    for (Event held : heldTimers) {
      clock.add(0, held.kind, held.node, held.peer, held.payload, null);
    }
    heldTimers.clear();
    return quiet;
  }

  private void process(Event e) {
    if (e.kind == Event.Kind.TIMER && holdTimers) {
      heldTimers.add(e);
      return;
    }
    long resume = stalledUntil(e.node, clock.now());
    if (resume > clock.now()) {
      clock.add(resume - clock.now(), e.kind, e.node, e.peer, e.payload, e.link); // handled, in order, after the stall
      return;
    }
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
        // not up at this end: it came on a link this node dropped and dialled again, and in the
        // runtime it would have travelled on the old connection, closed by now
        if (e.link.carries(e.peer) && e.link.upAt(e.node)) {
          if (e.link.holdsAt(e.node, clock.now())) {
            if (e.link.hold(e.node, e.payload)) {
              schedule(Math.max(0, e.link.pausedUntil(e.node) - clock.now()), Event.Kind.RESUME_READING,
                  e.node, e.peer, null, e.link);
            }
          } else {
            countHandled(e.link, e.node);
            node.deliver(e.peer, e.payload, clock.now());
          }
        }
      }
      case RESUME_READING -> resumeReading(node, e.peer, e.link);
      case TIMER -> node.fire(e.payload, clock.now());
      case LINK_UP -> linkUp(node, e.peer, e.link);
      case LINK_BROKEN -> linkEnded(node, e.peer, e.link, DialFailure.CONNECT);
      case REMOTE_CLOSE -> linkEnded(node, e.peer, e.link, DialFailure.HANDSHAKE);
      case LOCAL_CLOSE -> node.linkDown(e.peer, clock.now());
      case DIAL_FAILED, DIAL_REFUSED -> {
        PendingDial dial = (PendingDial) e.payload;
        if (node.takeDial(dial)) {
          node.dialFailed(dial, e.kind == Event.Kind.DIAL_FAILED ? DialFailure.CONNECT : DialFailure.REFUSED,
              clock.now());
        }
      }
      case ALREADY_LINKED -> {
        PendingDial dial = (PendingDial) e.payload;
        if (node.takeDial(dial)) {
          node.alreadyLinked(dial, clock.now());
        }
      }
    }
  }

  /** The handshake of {@code link} completed at {@code node}'s end. */
  private void linkUp(SimNode node, int peer, SimLink link) {
    // closed by the peer after it sent something: as on a socket, what came before the close is
    // read first (a shuffle reply on a link dialled only to carry it), then the close
    boolean closedByPeer = link.state == SimLink.State.CLOSED && link.closer == peer;
    if ((!link.live() && !closedByPeer) || node.linkTo(peer) != link) {
      return; // it broke or this end closed it meanwhile, and that report is on its way (or was made)
    }
    link.markUp(node.index);
    List<PendingDial> dials = node.takeDials(peer);
    node.linkUp(peer, dials.isEmpty() ? null : dials.getFirst().address(), clock.now());
    for (int i = 1; i < dials.size() && node.alive(); i++) {
      node.alreadyLinked(dials.get(i), clock.now()); // the same peer dialled twice: both dials end here
    }
  }

  /** {@code link} broke or was closed by {@code peer}, and {@code node} learns it now. */
  private void linkEnded(SimNode node, int peer, SimLink link, DialFailure failure) {
    if (!node.removeLink(link)) {
      return; // gone already: this node closed it, or replaced it by a newer link
    }
    if (link.upAt(node.index)) {
      node.linkDown(peer, clock.now());
      return;
    }
    for (PendingDial dial : node.takeDials(peer)) { // it never came up here: the dial failed
      if (!node.alive()) {
        return;
      }
      node.dialFailed(dial, failure, clock.now());
    }
  }

  // ------------------------------------------------------------ network, called by SimNode

  /**
   * A dial of {@code address}: it fails after the detection delay if nobody alive and reachable
   * listens there, ends on the link already under way if there is one, and otherwise opens a link
   * whose two ends come up after the handshake.
   */
  void dial(SimNode from, PeerAddress address, NodeId expected) {
    linksOpened++;
    Integer found = byAddress.get(address);
    int target = found == null ? -1 : found;
    PendingDial dial = new PendingDial(address, expected, target);
    from.addDial(dial);
    if (target < 0 || target == from.index || !nodes.get(target).alive() || !reachable(from.index, target)
        || (expected != null && !expected.equals(ids[target]))) {
      // nobody answers there (a self-dial is not modelled: the core never dials itself)
      schedule(config.failureDetectionMillis(), Event.Kind.DIAL_FAILED, from.index, target, dial, null);
      return;
    }
    if (nodes.get(target).core.banRemaining(ids[from.index], clock.now()) > 0) {
      // the peer has banned this node: it refuses the handshake, as the runtime does after TLS
      schedule(DIALLER_UP_LATENCIES * latency(from.index, target), Event.Kind.DIAL_REFUSED,
          from.index, target, dial, null);
      return;
    }
    SimLink existing = from.linkTo(target);
    if (existing != null) {
      if (existing.upAt(from.index)) {
        // a second connection that finds the peer linked already: it ends as a spare
        schedule(DIALLER_UP_LATENCIES * latency(from.index, target), Event.Kind.ALREADY_LINKED,
            from.index, target, dial, null);
      }
      return; // under way: the dial ends when the link comes up at this end (or breaks)
    }
    SimLink link = new SimLink(from.index, target);
    from.addLink(link);
    SimNode peer = nodes.get(target);
    SimLink stale = peer.linkTo(from.index);
    if (stale != null) {
      // the peer still holds a link this node dropped (closed, or broken and not yet noticed
      // there): as in the runtime, where the new link takes over from the old one without a
      // link-down, the old one leaves its table quietly and its pending report finds it gone
      peer.removeLink(stale);
      if (stale.upAt(target)) {
        link.markUp(target); // for that end, the link never went down
      }
    }
    peer.addLink(link);
    long latency = latency(from.index, target);
    schedule(DIALLER_UP_LATENCIES * latency, Event.Kind.LINK_UP, from.index, target, null, link);
    if (!link.upAt(target)) {
      schedule(ACCEPTOR_UP_LATENCIES * latency, Event.Kind.LINK_UP, target, from.index, null, link);
    }
  }

  /**
   * Messages waiting at a receiver that paused reading before the sender's are dropped: the
   * runtime's per-peer send queue ({@code LinkSettings.sendBufferBytes}, 4 MiB) stands for it.
   */
  static final int SEND_QUEUE_MESSAGES = 4096;

  private void countHandled(SimLink link, int node) {
    if (attackStarted) {
      link.handledAt(node, clock.now());
    }
  }

  /**
   * How fast honest nodes handled sybils' messages during the attack: messages a second per link
   * from a sybil, over the links up now, each from its first message to its last.
   */
  public double sybilMessageRate() {
    long[] sums = new long[2];
    for (SimNode node : nodes) {
      if (node.honest() && node.alive()) {
        node.addHandledFrom(this::isSybil, sums);
      }
    }
    return sums[1] == 0 ? 0 : 1000.0 * sums[0] / sums[1];
  }

  private boolean isSybil(int index) {
    return index >= 0 && !nodes.get(index).honest();
  }

  /** {@code node}'s core paused reading from {@code peer} for {@code millis}. */
  void pauseReading(SimNode node, NodeId peer, long millis) {
    SimLink link = node.linkTo(indexOf(peer));
    if (link != null) {
      link.pauseReading(node.index, clock.now() + millis);
    }
  }

  /**
   * The backlog of {@code node}'s end of {@code link} is delivered in order, until it is empty or
   * the core pauses again (then the rest waits for the next resume).
   */
  private void resumeReading(SimNode node, int peer, SimLink link) {
    while (link.carries(peer) && link.upAt(node.index) && node.alive()) {
      if (clock.now() < link.pausedUntil(node.index)) {
        schedule(link.pausedUntil(node.index) - clock.now(), Event.Kind.RESUME_READING, node.index, peer, null, link);
        return;
      }
      Object next = link.nextHeld(node.index);
      if (next == null) {
        return;
      }
      countHandled(link, node.index);
      node.deliver(peer, next, clock.now());
    }
  }

  /** Sends on the link to {@code to}; lost when this end has no link up to it any more. */
  void transmit(SimNode from, NodeId to, Object message) {
    countMembership(message);
    SimLink link = from.linkTo(indexOf(to));
    if (link == null || !link.upAt(from.index) || !link.live()) {
      return; // the core's link went away a moment ago; its report is on its way
    }
    int target = link.other(from.index);
    if (link.heldAt(target) >= SEND_QUEUE_MESSAGES) {
      return; // the receiver stopped reading long enough for our queue to fill: dropped here, as a link does
    }
    if (loss > 0 && random.nextDouble() < loss) {
      lostMessages++;
      breakLink(link);
      return;
    }
    schedule(latency(from.index, target), Event.Kind.DELIVER, target, from.index, message, link);
  }

  private void countMembership(Object message) {
    if (message instanceof MembershipMessage m) {
      membershipMessages++;
      if (m instanceof MembershipMessage.MergeProbe) {
        mergeProbes++;
      }
    }
  }

  /** The core closes its link to {@code peer}: its own link-down follows at once, as in the runtime. */
  void close(SimNode from, NodeId peer) {
    int target = indexOf(peer);
    SimLink link = from.linkTo(target);
    if (link == null) {
      return;
    }
    from.removeLink(link);
    if (link.upAt(from.index)) {
      schedule(0, Event.Kind.LOCAL_CLOSE, from.index, target, null, link);
    }
    endLink(from, link);
  }

  void schedule(SimNode node, long delayMillis, Object timer) {
    clock.add(delayMillis, Event.Kind.TIMER, node.index, -1, timer, null);
  }

  /**
   * {@code closer} ends a live link: what it sent still arrives, then the close, one latency
   * later. Until the close arrives the other end keeps the link, and what it sends is lost, as
   * with a socket whose peer has gone.
   */
  private void endLink(SimNode closer, SimLink link) {
    if (!link.live()) {
      return;
    }
    link.state = SimLink.State.CLOSED;
    link.closer = closer.index;
    int other = link.other(closer.index);
    schedule(latency(closer.index, other), Event.Kind.REMOTE_CLOSE, other, closer.index, null, link);
  }

  /** The link breaks: nothing more crosses it, and each end learns after the detection delay. */
  private void breakLink(SimLink link) {
    link.state = SimLink.State.BROKEN;
    schedule(config.failureDetectionMillis(), Event.Kind.LINK_BROKEN, link.a, link.b, null, link);
    schedule(config.failureDetectionMillis(), Event.Kind.LINK_BROKEN, link.b, link.a, null, link);
  }

  private void schedule(long delay, Event.Kind kind, int node, int peer, Object payload, SimLink link) {
    inFlight++;
    clock.add(delay, kind, node, peer, payload, link);
  }

  /**
   * When {@code index} next handles an event: {@code now}, unless it is one of the honest nodes that
   * {@link SimConfig#stalls} picks (from the seed and the index, so a run repeats) and is in a stall.
   */
  private long stalledUntil(int index, long now) {
    Stalls stalls = config.stalls();
    if (!stalls.any() || !nodes.get(index).honest()) {
      return now;
    }
    long h = mix(config.seed() ^ mix(0x5354_414cL + index)); // "STAL"
    if ((h >>> 11) * 0x1.0p-53 >= stalls.share()) {
      return now;
    }
    long intoPeriod = Math.floorMod(now + h, (long) stalls.periodMillis());
    return intoPeriod < stalls.pauseMillis() ? now + stalls.pauseMillis() - intoPeriod : now;
  }

  /** One-way latency of a pair: fixed for the pair, so each link delivers in order. */
  long latency(int a, int b) {
    int span = config.latencyMaxMillis() - config.latencyMinMillis() + 1;
    long pair = ((long) Math.min(a, b) << 32) | Math.max(a, b);
    long h = mix(config.seed() ^ mix(pair));
    return config.latencyMinMillis() + Math.floorMod(h, span);
  }

  int indexOf(NodeId id) {
    long index = id.w3();
    if (index < 0 || index >= nodes.size()) {
      return -1;
    }
    return idWords[(int) index] == id.w0() ? (int) index : -1;
  }
}
