package voidphone.gossip.core.membership;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.TokenBucket;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;
import voidphone.gossip.core.membership.MembershipMessage.ForwardJoin;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.MergeProbe;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;
import voidphone.gossip.core.membership.MembershipMessage.Shuffle;
import voidphone.gossip.core.membership.MembershipMessage.ShuffleReply;
import voidphone.gossip.core.membership.PendingRequests.Kind;
import voidphone.gossip.core.membership.PendingRequests.Pending;

/**
 * HyParView membership (Leitao, Pereira, Rodrigues, DSN 2007) as a deterministic state machine.
 *
 * <p>Inputs are method calls, each with the driver's monotonic clock in milliseconds; outputs go
 * to the {@link MembershipIo} given to the constructor. It does no I/O, reads no clock and draws
 * randomness only from the generator it is given, so a seed reproduces a run. One thread owns an
 * instance; nothing in it is synchronised.
 *
 * <p>Departures from the paper, each for the link model of {@link MembershipIo}: a peer enters the
 * active view only once a link to it is known to be up (it sent us JOIN/NEIGHBOR, or accepted
 * ours), so the end of a join walk asks the joiner with a high-priority NEIGHBOR instead of adding
 * it blindly, and a JOIN is answered with a NEIGHBOR_REPLY. A neighbour whose link went down is
 * kept as passive (a broken link is not a dead node; a dead one goes at its first failed dial).
 * A node below half its active capacity sends its first refill request of each shuffle period with
 * high priority, so that a group of nodes surrounded by full ones is not cut off for good. Merge
 * probes (ours) join the parts of a split overlay again. The state machine in prose is in {@code
 * docs/protocol/membership.md}.
 */
public final class HyParView {
  private static final Logger log = LoggerFactory.getLogger(HyParView.class);

  /** Bootstrap contacts remembered for join retries. */
  static final int MAX_CONTACTS = 8;

  /** Peers that refused us, not asked again until the next shuffle tick. */
  static final int MAX_REFUSALS_REMEMBERED = 32;

  private final Peer self;
  private final MembershipConfig config;
  private final RandomGenerator random;
  private final MembershipIo io;

  private final Views views;
  /** The two views, as {@link Views} holds them; read here, changed only through {@code views}. */
  private final PeerList active;
  private final PeerList passive;
  private final PendingRequests pending = new PendingRequests();
  /** JOINs served: each costs a FORWARD_JOIN to every neighbour, so a flood of JOINs is refused, not amplified. */
  private final TokenBucket joinLimiter;
  private final List<Peer> contacts = new ArrayList<>(1);
  private final List<NodeId> refusedThisTick = new ArrayList<>();
  private final UnreachablePeers unreachable;
  /** What our last SHUFFLE carried: evicted first when its reply needs room (as in the paper). */
  private List<Peer> lastShuffleSample = List.of();

  private boolean started;
  private boolean left;
  private boolean shuffleReplyExpected;
  /** Set for the refill of one tick: its first request goes out with high priority. */
  private boolean escalate;
  private int refusalsThisTick;
  private boolean joinRetryScheduled;
  private long joinRetryMillis;
  /** Which {@link MembershipTimer.MergeProbe} is the live one; older ones are ignored. */
  private long mergeGeneration;
  /** When the live merge probe is due. */
  private long mergeDueMillis;
  /** Shuffles in a row whose walk ended at one of our neighbours. */
  private int shufflesEndingNearby;
  /** The neighbour the outstanding merge probe offered to drop (its handover), or null. */
  private Peer probeHandover;

  public HyParView(Peer self, MembershipConfig config, RandomGenerator random, MembershipIo io) {
    this.self = Objects.requireNonNull(self, "self");
    this.config = Objects.requireNonNull(config, "config");
    this.random = Objects.requireNonNull(random, "random");
    this.io = Objects.requireNonNull(io, "io");
    this.views = new Views(self.id(), config, random, io);
    this.active = views.active;
    this.passive = views.passive;
    this.joinLimiter = new TokenBucket(config.joinsPerSecond(), 2.0 * config.joinsPerSecond());
    this.joinRetryMillis = config.joinRetryMillis();
    this.unreachable = new UnreachablePeers(config.unreachableCapacity(), config.unreachableRetentionMillis());
  }

  public Peer self() {
    return self;
  }

  /** The neighbours, read-only and live: do not hold on to it across inputs. */
  public List<Peer> activeView() {
    return Collections.unmodifiableList(active);
  }

  /** The address book, read-only and live. */
  public List<Peer> passiveView() {
    return Collections.unmodifiableList(passive);
  }

  public boolean isNeighbor(NodeId peer) {
    return views.isNeighbor(peer);
  }

  /** Peers that could not be reached and are tried again by merge probes, oldest first. */
  public List<Peer> unreachablePeers() {
    return unreachable.peers();
  }

  /** Requests to become neighbours that are out and unanswered. */
  int pendingRequests() {
    return pending.size();
  }

  // ---------------------------------------------------------------- inputs

  /**
   * Joins the overlay through {@code contact}. The runtime calls this once it has a link to the
   * contact (it dialled the configured bootstrapper and learnt its id in the handshake). The
   * contact enters the active view when it accepts; until some neighbour is up, the JOIN is sent
   * again with a growing delay.
   */
  public void join(Peer contact, long nowMillis) {
    if (left || contact.id().equals(self.id())) {
      return;
    }
    start(nowMillis);
    rememberContact(contact);
    pending.remove(contact.id()); // a fresh attempt replaces any earlier one
    sendJoin(contact);
    scheduleJoinRetry();
  }

  /** A message arrived from {@code from} on an authenticated link. */
  public void onMessage(NodeId from, MembershipMessage message, long nowMillis) {
    if (left || from.equals(self.id())) {
      return;
    }
    start(nowMillis);
    unreachable.remove(from); // it just reached us
    switch (message) {
      case Join m -> onJoin(new Peer(from, m.address()), nowMillis);
      case ForwardJoin m -> onForwardJoin(from, m);
      case Neighbor m -> onNeighbor(new Peer(from, m.address()), m.highPriority());
      case NeighborReply m -> onNeighborReply(from, m.accepted());
      case Disconnect m -> onDisconnect(from, m.leaving());
      case Shuffle m -> onShuffle(from, m, nowMillis);
      case ShuffleReply m -> onShuffleReply(from, m, nowMillis);
      case MergeProbe m -> onMergeProbe(new Peer(from, m.address()), m);
    }
  }

  public void onTimer(MembershipTimer timer, long nowMillis) {
    if (left) {
      return;
    }
    start(nowMillis);
    switch (timer) {
      case MembershipTimer.ShuffleTick t -> onShuffleTick();
      case MembershipTimer.NeighborTimeout t -> onNeighborTimeout(t.peer(), t.request(), nowMillis);
      case MembershipTimer.JoinRetry t -> onJoinRetry();
      case MembershipTimer.MergeProbe t -> onMergeProbeDue(t.generation(), nowMillis);
    }
  }

  /**
   * The link to {@code peer} failed (see {@link MembershipIo}). A request out to it failed with
   * it: the peer leaves the passive view, as in the paper. It was reachable a moment ago, so it is
   * not remembered as unreachable (that is {@link #dialFailed}).
   */
  public void linkDown(NodeId peer, long nowMillis) {
    linkFailed(peer, false, nowMillis);
  }

  /**
   * A dial to {@code peer} failed: nobody answered at its address, or the handshake did not
   * complete. A request that waited for the link failed, and the peer is remembered as unreachable
   * for merge probes: it may be on the other side of a partition.
   */
  public void dialFailed(NodeId peer, long nowMillis) {
    linkFailed(peer, true, nowMillis);
  }

  private void linkFailed(NodeId peer, boolean unreached, long nowMillis) {
    if (left) {
      return;
    }
    start(nowMillis);
    Pending request = pending.remove(peer);
    if (request != null && request.kind() != Kind.JOIN) {
      if (unreached) {
        unreachableNow(request.peer(), nowMillis);
      } else {
        views.dropPassive(peer);
      }
    }
    Peer neighbor = views.removeActive(peer);
    if (neighbor != null) {
      log.debug("neighbour {} lost: link down", neighbor);
      views.addPassive(neighbor);
      rememberRefusal(peer);
      // a broken link may be the first sign of a partition: probe soon, and keep probing while
      // peers stay unreachable
      probeSoon(nowMillis);
    }
    if (request != null || neighbor != null) {
      refill();
    }
  }

  /** Leaves for good: every neighbour is told so, and this instance ignores all further input. */
  public void leave(long nowMillis) {
    if (left) {
      return;
    }
    left = true;
    for (Peer neighbor : List.copyOf(active)) {
      views.removeActive(neighbor.id());
      io.send(neighbor, new Disconnect(true));
      io.disconnect(neighbor.id());
    }
    for (Pending request : pending.drain()) {
      io.disconnect(request.peer().id());
    }
    log.debug("left the overlay");
  }

  // ---------------------------------------------------------------- joins

  private void onJoin(Peer joiner, long nowMillis) {
    pending.remove(joiner.id()); // it restarted: a request we had out to it will not be answered
    if (!joinLimiter.tryAcquire(nowMillis)) {
      log.debug("JOIN from {} refused: more than {} per second", joiner, config.joinsPerSecond());
      refuse(joiner.id());
      return;
    }
    boolean kept = views.addActive(joiner, Views.Room.YOUNGER_HALF, true);
    // the walks go out even when the joiner is refused here, so that it finds neighbours elsewhere
    for (Peer neighbor : active) {
      if (!neighbor.id().equals(joiner.id())) {
        io.send(neighbor, new ForwardJoin(joiner, config.activeWalkLength()));
      }
    }
    if (kept) {
      io.reply(joiner.id(), new NeighborReply(true));
    } else {
      log.debug("JOIN from {} forwarded but not kept: its address group is full", joiner);
      refuse(joiner.id());
    }
  }

  private void onForwardJoin(NodeId sender, ForwardJoin message) {
    if (!active.containsId(sender)) {
      notNeighbor(sender);
      return;
    }
    Peer joiner = message.joiner();
    int ttl = Math.min(message.ttl(), config.activeWalkLength());
    if (joiner.id().equals(self.id())) {
      return;
    }
    if (active.containsId(joiner.id()) || pending.contains(joiner.id())) {
      // already its neighbour (or asking): pass the walk on so it still ends at a new node
      if (ttl > 0) {
        forwardWalk(new ForwardJoin(joiner, ttl - 1), sender, joiner.id());
      }
      return;
    }
    if (ttl == 0 || active.size() == 1) {
      endJoinWalk(joiner, sender);
      return;
    }
    if (ttl == config.passiveWalkLength()) {
      views.addPassive(joiner, List.of(), sender);
    }
    if (!forwardWalk(new ForwardJoin(joiner, ttl - 1), sender, joiner.id())) {
      endJoinWalk(joiner, sender);
    }
  }

  /** A join walk that {@code sender} passed us ends here. */
  private void endJoinWalk(Peer joiner, NodeId sender) {
    if (!views.activeGroupHasRoom(joiner) || !sendNeighbor(joiner, Kind.WALK_END, true)) {
      views.addPassive(joiner, List.of(), sender);
    }
  }

  /** Sends a walk to a random neighbour other than {@code from} and {@code skip}. */
  private boolean forwardWalk(MembershipMessage walk, NodeId from, NodeId skip) {
    Peer next = views.randomNeighborExcept(from, skip);
    if (next == null) {
      return false;
    }
    io.send(next, walk);
    return true;
  }

  /** Sends a JOIN unless too many requests are out; the join retry tries again later. */
  private void sendJoin(Peer contact) {
    if (pending.size() >= maxPending()) {
      return;
    }
    Pending request = pending.add(contact, Kind.JOIN, true);
    io.send(contact, new Join(self.address()));
    io.schedule(
        config.neighborRequestTimeoutMillis(),
        new MembershipTimer.NeighborTimeout(contact.id(), request.number()));
  }

  private void rememberContact(Peer contact) {
    for (int i = 0; i < contacts.size(); i++) {
      if (contacts.get(i).id().equals(contact.id())) {
        contacts.set(i, contact);
        return;
      }
    }
    if (contacts.size() == MAX_CONTACTS) {
      contacts.remove(0);
    }
    contacts.add(contact);
  }

  private void scheduleJoinRetry() {
    if (!joinRetryScheduled && !contacts.isEmpty()) {
      joinRetryScheduled = true;
      io.schedule(joinRetryMillis, MembershipTimer.JOIN_RETRY);
    }
  }

  private void onJoinRetry() {
    joinRetryScheduled = false;
    if (!active.isEmpty()) {
      joinRetryMillis = config.joinRetryMillis();
      return;
    }
    if (pending.count(Kind.JOIN) == 0 && !contacts.isEmpty()) {
      Peer contact = contacts.get(random.nextInt(contacts.size()));
      log.debug("no neighbour yet: JOIN again through {}", contact);
      sendJoin(contact);
    }
    joinRetryMillis = Math.min(2 * joinRetryMillis, MembershipConfig.MAX_JOIN_RETRY_MILLIS);
    scheduleJoinRetry();
  }

  // ---------------------------------------------------------------- neighbour requests

  private void onNeighbor(Peer peer, boolean highPriority) {
    if (active.containsId(peer.id())) {
      io.reply(peer.id(), new NeighborReply(true)); // a repeat: it may have missed our answer
      return;
    }
    // a request crossing ours means both ends want the link: take it as mutual
    boolean crossing = pending.remove(peer.id()) != null;
    // crossing requests: both ends asked, so it is ours as much as theirs and a random neighbour
    // makes room; but one that insists costs the newest, crossing or not: else a peer that leaves
    // our request to it hanging (its address a tarpit) and then insists evicts at random
    Views.Room room = highPriority ? Views.Room.NEWEST : crossing ? Views.Room.RANDOM : Views.Room.NONE;
    answer(peer, views.addActive(peer, room, true), crossing);
  }

  /**
   * Answers a request to become neighbours (NEIGHBOR or MERGE_PROBE): a peer refused is alive and
   * reachable, so it is worth remembering as passive, and its link closes. A request that crossed
   * ours ended ours: the view may have room to refill.
   */
  private void answer(Peer peer, boolean taken, boolean crossing) {
    io.reply(peer.id(), new NeighborReply(taken));
    if (!taken) {
      views.addPassive(peer);
      disconnectIfUnused(peer.id());
    }
    if (crossing) {
      refill();
    }
  }

  private void onNeighborReply(NodeId from, boolean accepted) {
    Pending request = pending.remove(from);
    if (request == null) {
      if (accepted && !active.containsId(from)) {
        // our request timed out and we gave the peer up; it must not keep us as a neighbour
        io.reply(from, new Disconnect(false));
        io.disconnect(from);
      } else if (!accepted) {
        disconnectIfUnused(from);
      }
      return;
    }
    if (accepted) {
      if (request.kind() == Kind.PROBE && probeHandover != null && active.isFull()
          && active.containsId(probeHandover.id())) {
        // make room by dropping the neighbour we offered: the prober's side introduces to it
        // the neighbour it dropped for us
        views.evict(probeHandover, null);
      }
      // we insisted, so we make room, as the paper does
      Views.Room room = request.highPriority() ? Views.Room.RANDOM : Views.Room.NONE;
      boolean bounded = request.kind() != Kind.JOIN; // the operator chose the contact
      if (!views.addActive(request.peer(), room, bounded)) {
        // the view filled up while the request was out
        io.reply(from, new Disconnect(false));
        io.disconnect(from);
        views.addPassive(request.peer());
      }
    } else {
      if (request.kind() == Kind.REFILL) {
        refusalsThisTick++;
        rememberRefusal(from);
      }
      disconnectIfUnused(from);
    }
    refill();
  }

  private void onNeighborTimeout(NodeId peer, long number, long nowMillis) {
    Pending request = pending.remove(peer, number);
    if (request == null) {
      return; // answered in time, or replaced by a later request
    }
    log.debug("{} request to {} unanswered", request.kind(), request.peer());
    if (request.kind() != Kind.JOIN) {
      unreachableNow(request.peer(), nowMillis);
    }
    disconnectIfUnused(peer);
    refill();
  }

  /**
   * Sends a NEIGHBOR request unless one to that peer is out already or too many are; returns
   * whether it was sent.
   */
  private boolean sendNeighbor(Peer peer, Kind kind, boolean highPriority) {
    return sendRequest(peer, kind, highPriority, new Neighbor(self.address(), highPriority));
  }

  /** Sends a request to become neighbours (NEIGHBOR or MERGE_PROBE), answered by NEIGHBOR_REPLY. */
  private boolean sendRequest(Peer peer, Kind kind, boolean highPriority, MembershipMessage message) {
    if (pending.contains(peer.id()) || pending.size() >= maxPending()) {
      return false;
    }
    Pending request = pending.add(peer, kind, highPriority);
    io.send(peer, message);
    io.schedule(
        config.neighborRequestTimeoutMillis(),
        new MembershipTimer.NeighborTimeout(peer.id(), request.number()));
    return true;
  }

  private int maxPending() {
    return config.activeCapacity() + config.refillParallelism();
  }

  /**
   * Tops the active view up from the passive view: up to {@code refillParallelism} requests at a
   * time, high priority when there is no neighbour at all (as in the paper) and for the first
   * request of a tick while starving (see {@link #onShuffleTick}). Refusals are
   * budgeted per shuffle period so that a node in a full overlay does not ask its whole passive
   * view in a loop; the next tick tries again.
   */
  private void refill() {
    if (left) {
      return;
    }
    int deficit = config.activeCapacity() - active.size() - pending.size();
    int slots = Math.min(deficit, config.refillParallelism() - pending.count(Kind.REFILL));
    while (slots > 0 && refusalsThisTick < refusalBudget()) {
      boolean highPriority = active.isEmpty() || escalate;
      Peer candidate = refillCandidate();
      if (candidate == null || !sendNeighbor(candidate, Kind.REFILL, highPriority)) {
        break;
      }
      escalate = false;
      slots--;
    }
    if (active.isEmpty() && pending.size() == 0) {
      scheduleJoinRetry();
    }
  }

  private int refusalBudget() {
    return config.refillParallelism();
  }

  private Peer refillCandidate() {
    int size = passive.size();
    if (size == 0) {
      return null;
    }
    int start = passive.randomIndex(random);
    for (int k = 0; k < size; k++) {
      int i = (start + k) % size;
      Peer peer = passive.get(i);
      if (!pending.contains(peer.id())
          && !refusedThisTick.contains(peer.id())
          && views.activeGroupHasRoomForPassive(i)) {
        return peer;
      }
    }
    return null;
  }

  private void rememberRefusal(NodeId peer) {
    if (refusedThisTick.size() == MAX_REFUSALS_REMEMBERED) {
      refusedThisTick.remove(0);
    }
    refusedThisTick.add(peer);
  }

  // ---------------------------------------------------------------- disconnects

  private void onDisconnect(NodeId from, boolean leaving) {
    pending.remove(from); // a DISCONNECT instead of an answer is a refusal
    Peer neighbor = views.removeActive(from);
    if (neighbor != null) {
      log.debug("neighbour {} dropped us{}", neighbor, leaving ? ": it is leaving" : "");
      if (!leaving) {
        views.addPassive(neighbor);
        rememberRefusal(from); // it just chose to drop us: ask others first
      }
    }
    if (leaving) {
      views.dropPassive(from);
      unreachable.remove(from);
    }
    io.disconnect(from);
    refill();
  }

  /**
   * {@code sender} sent what only a neighbour sends, but is not ours: its view of us is stale (a
   * message crossed our DISCONNECT) or it is misbehaving. Tell it and close, so that both views
   * agree again.
   */
  private void notNeighbor(NodeId sender) {
    if (!pending.contains(sender)) {
      io.reply(sender, new Disconnect(false));
      io.disconnect(sender);
    }
  }

  private void refuse(NodeId peer) {
    io.reply(peer, new NeighborReply(false));
    disconnectIfUnused(peer);
  }

  private void disconnectIfUnused(NodeId peer) {
    if (!active.containsId(peer) && !pending.contains(peer)) {
      io.disconnect(peer);
    }
  }

  // ---------------------------------------------------------------- merge probes

  /**
   * A peer we could not reach leaves the passive view, as in the paper, but is remembered apart:
   * it may sit on the other side of a partition, and a merge probe tries it again.
   */
  private void unreachableNow(Peer peer, long nowMillis) {
    views.dropPassive(peer.id());
    unreachable.add(peer, nowMillis);
  }

  /**
   * Time for a merge probe (see {@code docs/protocol/membership.md}, "Merging"): a MERGE_PROBE to
   * a peer outside the active view, carrying a sample of our neighbours. The target is the next
   * peer that could not be reached (after a partition, those are the other side), else a random
   * passive peer or bootstrap contact (cliques that formed at the start know each other only as
   * passive peers, and full nodes refuse every low-priority request). The next probe is due after
   * {@code mergeProbeMinMillis} while peers stay unreachable, else after {@code
   * mergeProbeMaxMillis}; a broken neighbour link, or a shuffle that ended at a neighbour (a sign
   * that our part of the overlay is small), bring it forward.
   */
  private void onMergeProbeDue(long generation, long nowMillis) {
    if (generation != mergeGeneration) {
      return; // rescheduled since
    }
    boolean retrying = !unreachable.isEmpty(nowMillis);
    if (!active.isEmpty() && pending.count(Kind.PROBE) == 0) {
      Peer target = retrying ? unreachable.next(nowMillis, this::notProbeable) : null;
      // a peer that was unreachable is asked without evidence of our part: the items we saw
      // before it became unreachable, it has seen too, and a partition that healed would stay
      boolean blind = target == null;
      if (blind) {
        target = randomProbeCandidate();
      }
      Peer handover = active.isFull() ? active.get(active.randomIndex(random)) : null;
      if (target != null && sendRequest(target, Kind.PROBE, true, mergeProbe(handover, blind))) {
        probeHandover = handover;
        log.debug("merge probe to {}{}", target, retrying ? " (unreachable before)" : "");
      }
    }
    scheduleMergeProbe(nowMillis, retrying ? config.mergeProbeMinMillis() : config.mergeProbeMaxMillis());
  }

  private MergeProbe mergeProbe(Peer handover, boolean withEvidence) {
    List<Peer> sample = new ArrayList<>(MembershipMessage.MAX_ENTRIES);
    active.sample(MembershipMessage.MAX_ENTRIES, null, random, sample);
    List<NodeId> ids = new ArrayList<>(sample.size());
    for (Peer peer : sample) {
      ids.add(peer.id());
    }
    return new MergeProbe(self.address(), handover, ids, withEvidence ? io.recentItems() : List.of());
  }

  /**
   * A MERGE_PROBE from {@code prober}. If it names us or one of our neighbours, the two of us are
   * two hops apart at most, in one part of the overlay; if it names an item we have seen, items
   * reach both of us: either way refused, nothing changes. Otherwise we may
   * be in different parts, and the probe is taken like a high-priority NEIGHBOR, which joins the
   * parts. A full view makes room by dropping a random neighbour, which is first introduced to
   * the prober's {@code handover} (a FORWARD_JOIN that ends at once, so it asks the handover to be
   * its neighbour): the prober drops the handover, and the two dropped nodes pair up.
   */
  private void onMergeProbe(Peer prober, MergeProbe probe) {
    Peer handover = probe.handover();
    if (active.containsId(prober.id())) {
      io.reply(prober.id(), new NeighborReply(true)); // a repeat: it may have missed our answer
      return;
    }
    boolean crossing = pending.remove(prober.id()) != null;
    boolean connected = handover != null && isUsOrNeighbor(handover.id());
    for (NodeId id : probe.neighbors()) {
      connected |= isUsOrNeighbor(id);
    }
    connected |= io.seenAny(probe.recentItems()); // it received items we have: the same part
    boolean accept = (!connected || crossing) && views.activeGroupHasRoom(prober);
    if (accept && active.isFull()) {
      Peer dropped = views.randomNeighborExcept(prober.id(), handover == null ? prober.id() : handover.id());
      if (dropped != null) {
        views.evict(dropped, handover == null ? null : new ForwardJoin(handover, 0));
      }
    }
    boolean taken = accept && views.addActive(prober, Views.Room.NEWEST, true);
    if (taken) {
      log.debug("merge probe from {} accepted", prober);
    }
    answer(prober, taken, crossing);
  }

  private boolean isUsOrNeighbor(NodeId peer) {
    return peer.equals(self.id()) || active.containsId(peer);
  }

  private boolean notProbeable(NodeId peer) {
    return active.containsId(peer) || pending.contains(peer);
  }

  /** A random passive peer or bootstrap contact that is not a neighbour and not being asked. */
  private Peer randomProbeCandidate() {
    int size = passive.size() + contacts.size();
    if (size == 0) {
      return null;
    }
    int start = random.nextInt(size);
    for (int k = 0; k < size; k++) {
      int i = (start + k) % size;
      Peer peer = i < passive.size() ? passive.get(i) : contacts.get(i - passive.size());
      if (!notProbeable(peer.id()) && (i >= passive.size() || views.activeGroupHasRoomForPassive(i))) {
        return peer;
      }
    }
    return null;
  }

  /** Brings the next merge probe forward to within the minimum wait, unless it is due sooner. */
  private void probeSoon(long nowMillis) {
    if (mergeDueMillis - nowMillis > 3 * config.mergeProbeMinMillis() / 2) {
      scheduleMergeProbe(nowMillis, config.mergeProbeMinMillis());
    }
  }

  /** Schedules the live merge probe {@code waitMillis} from now, within +-50% so nodes drift apart. */
  private void scheduleMergeProbe(long nowMillis, long waitMillis) {
    scheduleMergeProbeIn(nowMillis, waitMillis / 2 + random.nextLong(waitMillis + 1));
  }

  private void scheduleMergeProbeIn(long nowMillis, long delay) {
    mergeGeneration++;
    mergeDueMillis = nowMillis + delay;
    io.schedule(delay, new MembershipTimer.MergeProbe(mergeGeneration));
  }

  // ---------------------------------------------------------------- shuffles

  private void onShuffleTick() {
    io.schedule(jitteredShuffleInterval(), MembershipTimer.SHUFFLE_TICK);
    refusalsThisTick = 0;
    refusedThisTick.clear();
    shuffleReplyExpected = false;
    // Starving: below half the active capacity. In an overlay where almost every node is full,
    // low-priority requests are all refused, and a group of nodes can stay cut off for good; one
    // high-priority request per period (at most one eviction elsewhere) bridges it.
    escalate = !active.isEmpty() && 2 * active.size() < config.activeCapacity();
    if (!active.isEmpty()) {
      Peer target = active.get(active.randomIndex(random));
      List<Peer> sample = new ArrayList<>(config.maxEntriesAccepted());
      active.sample(config.shuffleActiveCount(), target.id(), random, sample);
      passive.sample(config.shufflePassiveCount(), null, random, sample);
      lastShuffleSample = List.copyOf(sample);
      sample.add(self);
      io.send(target, new Shuffle(self, config.shuffleWalkLength(), sample));
      shuffleReplyExpected = true;
    }
    refill();
    escalate = false;
  }

  private void onShuffle(NodeId sender, Shuffle message, long nowMillis) {
    if (!active.containsId(sender)) {
      notNeighbor(sender);
      return;
    }
    if (!views.takeShuffle(sender, nowMillis)) {
      log.debug("SHUFFLE from {} dropped: over {} per shuffle period", sender,
          MembershipConfig.SHUFFLES_PER_NEIGHBOR_PER_PERIOD);
      return;
    }
    Peer origin = message.origin();
    if (origin.id().equals(self.id())) {
      return; // our own walk came back: nothing to exchange with ourselves
    }
    int remaining = Math.min(message.ttl(), config.shuffleWalkLength()) - 1;
    if (remaining > 0 && active.size() > 1) {
      Shuffle next = new Shuffle(origin, remaining, message.entries());
      if (forwardWalk(next, sender, origin.id())) {
        return;
      }
    }
    List<Peer> received = capped(message.entries());
    List<Peer> answer = new ArrayList<>(received.size());
    passive.sample(received.size(), origin.id(), random, answer);
    if (answer.size() < received.size()) {
      // a young node's passive view is thin: its neighbours are good addresses too
      active.sample(received.size() - answer.size(), origin.id(), random, answer);
    }
    io.send(origin, new ShuffleReply(answer));
    disconnectIfUnused(origin.id());
    for (Peer entry : received) {
      views.addPassive(entry, answer, sender);
    }
  }

  private void onShuffleReply(NodeId sender, ShuffleReply message, long nowMillis) {
    if (shuffleReplyExpected) {
      // Two walks in a row of shuffleWalkLength hops that end at one of our own neighbours: our
      // part of the overlay is probably not much larger than our active view, so it may be a
      // clique cut off from the rest; probe soon. (One such walk is common in any small overlay.)
      shufflesEndingNearby = active.containsId(sender) ? shufflesEndingNearby + 1 : 0;
      if (shufflesEndingNearby >= 2) {
        shufflesEndingNearby = 0;
        probeSoon(nowMillis);
      }
    }
    if (shuffleReplyExpected) {
      shuffleReplyExpected = false; // one reply per shuffle: more would let anyone fill our views
      for (Peer entry : capped(message.entries())) {
        views.addPassive(entry, lastShuffleSample, sender);
      }
    } else {
      log.debug("unexpected SHUFFLE_REPLY from {} ignored", sender);
    }
    disconnectIfUnused(sender);
    refill();
  }

  private List<Peer> capped(List<Peer> entries) {
    int max = config.maxEntriesAccepted();
    return entries.size() <= max ? entries : entries.subList(0, max);
  }

  private long jitteredShuffleInterval() {
    long interval = config.shuffleIntervalMillis();
    long spread = interval / 10;
    return interval - spread + (spread == 0 ? 0 : random.nextLong(2 * spread + 1));
  }

  private void start(long nowMillis) {
    if (!started) {
      started = true;
      // the first tick at a random phase, so that nodes started together do not shuffle together
      io.schedule(1 + random.nextLong(config.shuffleIntervalMillis()), MembershipTimer.SHUFFLE_TICK);
      // the first at a random phase of the steady period: a network started at once must not
      // probe at once
      scheduleMergeProbeIn(nowMillis, 1 + random.nextLong(config.mergeProbeMaxMillis()));
    }
  }
}
