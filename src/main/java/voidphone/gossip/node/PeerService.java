package voidphone.gossip.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.api.ApiHub;
import voidphone.gossip.api.Spreader;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastIo;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.BroadcastStats;
import voidphone.gossip.core.broadcast.BroadcastTimer;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.broadcast.MalformedBroadcastException;
import voidphone.gossip.core.broadcast.Misbehaviour;
import voidphone.gossip.core.broadcast.Plumtree;
import voidphone.gossip.core.broadcast.Verdict;
import voidphone.gossip.core.membership.HyParView;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.core.membership.MembershipDecodeException;
import voidphone.gossip.core.membership.MembershipIo;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.core.membership.MembershipTimer;
import voidphone.gossip.link.DialFailure;
import voidphone.gossip.link.IdentityPolicy;
import voidphone.gossip.link.LinkInfo;
import voidphone.gossip.link.LinkListener;
import voidphone.gossip.link.LinkManager;

/**
 * The glue between the sans-IO cores and the real world, on the node's event loop: implements the
 * cores' output interfaces with links, codecs and loop timers, feeds link events and frames back in,
 * bootstraps, and holds peers to account. It decides nothing the cores decide.
 */
final class PeerService implements LinkListener, MembershipIo, BroadcastIo, Spreader {
  private static final Logger log = LoggerFactory.getLogger("peers");
  static final int CHANNEL_MEMBERSHIP = 1;
  static final int CHANNEL_BROADCAST = 2;
  /** Membership messages held for a peer while its link is being dialled. */
  private static final int MAX_AWAITING_PER_PEER = 16;
  /** A link to a peer that is not a neighbour is closed after this much silence. */
  private static final long IDLE_LINK_MILLIS = 15_000;
  private static final long SWEEP_MILLIS = 5_000;
  private static final long FIRST_BOOTSTRAP_BACKOFF_MILLIS = 1_000;
  private static final long MAX_BOOTSTRAP_BACKOFF_MILLIS = 60_000;
  /** How often an ANNOUNCE that arrived before the cores were attached checks again. */
  private static final long STARTING_RECHECK_MILLIS = 10;
  /**
   * Cached peers dialled at once while bootstrapping: enough that a few departed ones do not stall
   * the rejoin, few enough that a restart does not knock on dozens of doors at the same moment.
   */
  static final int CACHED_DIALS_AT_ONCE = 4;
  /** How often the views are handed to the peer cache (written only when they changed). */
  static final long PEER_CACHE_SAVE_MILLIS = 30_000;

  private final EventLoop loop;
  private final NodeClock clock;
  private final Reputation reputation;
  private final Set<PeerAddress> bootstrappers;
  private final PeerCache peerCache;
  /** Peers to bootstrap through besides the bootstrappers: the cache file's, later the last views saved. */
  private List<Peer> cachedPeers;
  /** Where the next bootstrap round goes on in {@link #cachedPeers}, so that every retry tries others. */
  private int cachedCursor;
  private ApiHub hub;
  private LinkManager links;
  private HyParView membership;
  private Plumtree broadcast;

  private final Map<NodeId, ArrayDeque<MembershipMessage>> awaitingLink = new HashMap<>();
  private final Set<NodeId> closingOnPurpose = new HashSet<>();
  private final Map<NodeId, Long> lastHeardMillis = new HashMap<>();
  private final Set<PeerAddress> bootstrapDials = new HashSet<>();
  /** Dials of cached peers under way, by the identity expected, with the address dialled. */
  private final Map<NodeId, PeerAddress> cachedDials = new HashMap<>();
  /**
   * Peers this bootstrap round sent a JOIN through: a second dial that reaches one of them (a
   * bootstrapper named by two addresses) must not send a second JOIN.
   */
  private final Set<NodeId> joinedThisRound = new HashSet<>();
  private long bootstrapBackoffMillis = FIRST_BOOTSTRAP_BACKOFF_MILLIS;
  /** A bootstrap retry is scheduled; the sweep must not dial before it. */
  private boolean bootstrapRetryPending;
  private long bootstrapRetryDelayMillis;
  private boolean stopped;
  /**
   * The periodic sweep, cancelled when the node stops: on a loop shared with other nodes it would
   * otherwise run (and keep this node's state reachable) for as long as the loop does.
   */
  private ScheduledFuture<?> sweepTimer;
  private ScheduledFuture<?> peerCacheTimer;
  private long framesDropped;

  /** Without a peer cache. */
  PeerService(EventLoop loop, NodeClock clock, Reputation reputation, List<PeerAddress> bootstrappers) {
    this(loop, clock, reputation, bootstrappers, PeerCache.none());
  }

  PeerService(EventLoop loop, NodeClock clock, Reputation reputation, List<PeerAddress> bootstrappers,
      PeerCache peerCache) {
    this.loop = loop;
    this.clock = clock;
    this.reputation = reputation;
    this.bootstrappers = new LinkedHashSet<>(bootstrappers);
    this.peerCache = peerCache;
    this.cachedPeers = peerCache.loaded();
  }

  /** Completes construction: the cores and links need this service as their output. */
  void attach(ApiHub hub, LinkManager links, HyParView membership, Plumtree broadcast) {
    this.hub = hub;
    this.links = links;
    this.membership = membership;
    this.broadcast = broadcast;
  }

  /** Refuses banned peers at the handshake, before the proof of work is even checked. */
  IdentityPolicy banPolicy(IdentityPolicy next) {
    return (peer, nonce) -> {
      long left = reputation.banRemaining(peer, clock.millis());
      if (left > 0) {
        return new IdentityPolicy.Refusal(
            voidphone.gossip.link.ControlMessage.Reason.BANNED, "banned for " + left / 1000 + " s more");
      }
      return next.check(peer, nonce);
    };
  }

  /** Joins the overlay and starts the sweep; nothing when the node was stopped meanwhile. */
  void start() {
    if (stopped || sweepTimer != null) return;
    bootstrap();
    sweepTimer = loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    peerCacheTimer = loop.scheduleAtFixedRate(
        this::savePeers, PEER_CACHE_SAVE_MILLIS, PEER_CACHE_SAVE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Spreads a local module's item (the API's {@code Spreader}). */
  @Override
  public void spread(int ttl, int dataType, byte[] data) {
    if (!stopped) broadcast.broadcast(ttl, dataType, data, clock.millis());
  }

  /**
   * The API's {@code Spreader}: local items wait while the payload cache turns over too fast, and
   * while the node is still starting (the API listens a moment before the cores are attached; an
   * ANNOUNCE that came in between would otherwise have nowhere to go).
   */
  @Override
  public long admissionDelayMillis() {
    if (stopped) return 0; // spread() drops it: the node is going away
    if (broadcast == null) return STARTING_RECHECK_MILLIS;
    return broadcast.admissionDelayMillis(clock.millis());
  }

  /**
   * Graceful leave: the views are handed to the peer cache (leaving empties them), neighbours are
   * told, then every link is closed.
   */
  io.netty.util.concurrent.Future<?> leave() {
    if (!stopped && membership != null) peerCache.save(knownPeers());
    stop();
    membership.leave(clock.millis());
    return links.shutdown();
  }

  /**
   * A crash on a loop that lives on: every link is closed and nothing more happens, but the
   * neighbours are told nothing; they notice by their links closing.
   */
  io.netty.util.concurrent.Future<?> crash() {
    stop();
    return links.shutdown();
  }

  /** No more timers, sweeps or deliveries; the timers already queued on the loop find this and return. */
  private void stop() {
    stopped = true;
    if (sweepTimer != null) sweepTimer.cancel(false);
    if (peerCacheTimer != null) peerCacheTimer.cancel(false);
  }

  /** The periodic sweep's timer, null before {@link #start()}: cancelled once the node stopped. */
  ScheduledFuture<?> sweepTimer() {
    return sweepTimer;
  }

  // ------------------------------------------------------------------ bootstrap

  /**
   * Dials the bootstrappers and the next few cached peers while the node has no neighbour; the
   * outcome of each dial comes back as linkUp, alreadyLinked or dialFailed.
   */
  private void bootstrap() {
    if (stopped || !membership.activeView().isEmpty()) return;
    if (bootstrappers.isEmpty() && cachedPeers.isEmpty()) return; // the first node of a network
    joinedThisRound.clear();
    for (PeerAddress address : bootstrappers) {
      if (bootstrapDials.add(address)) {
        log.info("bootstrapping via {}", address);
        links.dial(address, null);
      }
    }
    dialCachedPeers();
  }

  /** Up to {@link #CACHED_DIALS_AT_ONCE} cached peers, taking up after the ones the last round tried. */
  private void dialCachedPeers() {
    int slots = CACHED_DIALS_AT_ONCE - cachedDials.size();
    if (cachedPeers.isEmpty() || slots <= 0) return;
    List<Peer> chosen = new ArrayList<>(slots);
    for (int looked = 0; looked < cachedPeers.size() && chosen.size() < slots; looked++) {
      int at = cachedCursor % cachedPeers.size(); // the list may have been replaced since
      Peer peer = cachedPeers.get(at);
      cachedCursor = at + 1;
      if (cachedDials.containsKey(peer.id()) || peer.id().equals(links.self())
          || bootstrappers.contains(peer.address()) // dialled as a bootstrapper already
          || reputation.banRemaining(peer.id(), clock.millis()) > 0) {
        continue;
      }
      chosen.add(peer);
    }
    if (chosen.isEmpty()) return;
    // once per isolation: the retries that follow say it at debug level
    if (bootstrapBackoffMillis == FIRST_BOOTSTRAP_BACKOFF_MILLIS) {
      log.info("bootstrapping via the peer cache ({} peers known, dialling {})", cachedPeers.size(), chosen.size());
    } else {
      log.debug("bootstrapping via the peer cache ({} peers known, dialling {})", cachedPeers.size(), chosen.size());
    }
    for (Peer peer : chosen) {
      if (links.isLinked(peer.id())) { // linked but no neighbour (an idle link): join on that link
        joinThrough(peer);
        continue;
      }
      cachedDials.put(peer.id(), peer.address());
      links.dial(peer.address(), peer.id());
    }
  }

  /** A bootstrap dial reached {@code contact}: join the overlay through it, as the spec's bootstrapper. */
  private void joinThrough(Peer contact) {
    bootstrapBackoffMillis = FIRST_BOOTSTRAP_BACKOFF_MILLIS;
    joinedThisRound.add(contact.id());
    membership.join(contact, clock.millis());
  }

  private void bootstrapFailed(PeerAddress address, DialFailure failure, String reason) {
    bootstrapDials.remove(address);
    if (stopped) return;
    if (failure == DialFailure.SELF) {
      log.info("bootstrapper {} is this node itself; not dialling it again", address);
      bootstrappers.remove(address);
      return;
    }
    log.info("bootstrapper {} unreachable ({}); retrying in {} ms", address, reason, retryBootstrap());
  }

  private void cachedPeerFailed(NodeId id, PeerAddress address, DialFailure failure, String reason) {
    if (stopped) return;
    if (failure == DialFailure.WRONG_IDENTITY || failure == DialFailure.SELF) {
      // another key answers there now: that peer is not coming back at this address
      cachedPeers = cachedPeers.stream().filter(p -> !p.id().equals(id)).toList();
    }
    log.debug("cached peer {} at {} unreachable ({}); retrying in {} ms", id.shortHex(), address, reason,
        retryBootstrap());
  }

  /**
   * Schedules the next bootstrap round unless one is due already; the delay doubles with every round
   * (1 s to 60 s), not with every failed dial of a round. Returns the delay until the round.
   */
  private long retryBootstrap() {
    if (bootstrapRetryPending) return bootstrapRetryDelayMillis;
    long delay = bootstrapBackoffMillis;
    bootstrapBackoffMillis = Math.min(MAX_BOOTSTRAP_BACKOFF_MILLIS, bootstrapBackoffMillis * 2);
    bootstrapRetryPending = true;
    bootstrapRetryDelayMillis = delay;
    loop.schedule(() -> {
      bootstrapRetryPending = false;
      bootstrap();
    }, delay, TimeUnit.MILLISECONDS);
    return delay;
  }

  /** Closes idle links to non-neighbours, and bootstraps again when the node has become isolated. */
  private void sweep() {
    if (stopped) return;
    long now = clock.millis();
    for (LinkInfo link : links.links()) {
      NodeId peer = link.peer();
      if (membership.isNeighbor(peer) || awaitingLink.containsKey(peer)) continue;
      if (now - lastHeardMillis.getOrDefault(peer, now) > IDLE_LINK_MILLIS) {
        closingOnPurpose.add(peer);
        links.close(peer, "idle and not a neighbour");
      }
    }
    if (membership.activeView().isEmpty() && bootstrapDials.isEmpty() && cachedDials.isEmpty()
        && !bootstrapRetryPending) {
      bootstrapBackoffMillis = FIRST_BOOTSTRAP_BACKOFF_MILLIS;
      bootstrap();
    }
  }

  // ------------------------------------------------------------------ links → cores

  @Override
  public void linkUp(LinkInfo link) {
    NodeId peer = link.peer();
    lastHeardMillis.put(peer, clock.millis());
    if (link.outbound() && endBootstrapDial(link.dialled(), peer)) {
      joinThrough(new Peer(peer, link.listenAddress()));
    }
    ArrayDeque<MembershipMessage> queued = awaitingLink.remove(peer);
    if (queued != null) {
      for (MembershipMessage m : queued) sendNow(peer, m);
    }
  }

  @Override
  public void linkDown(LinkInfo link, String reason) {
    NodeId peer = link.peer();
    awaitingLink.remove(peer);
    lastHeardMillis.remove(peer);
    if (closingOnPurpose.remove(peer)) return; // the core asked for it and expects no report
    if (!stopped) membership.linkDown(peer, clock.millis());
  }

  /**
   * A bootstrap dial found its peer linked already (named by two addresses, or linked without being
   * a neighbour): join through that link unless this round joined through the peer already.
   */
  @Override
  public void alreadyLinked(PeerAddress address, LinkInfo link) {
    NodeId peer = link.peer();
    if (endBootstrapDial(address, peer) && !stopped && !membership.isNeighbor(peer) && !joinedThisRound.contains(peer)) {
      joinThrough(new Peer(peer, link.listenAddress()));
    }
  }

  /** Whether {@code address} was dialled to bootstrap (as a bootstrapper or a cached peer); ends that dial. */
  private boolean endBootstrapDial(PeerAddress address, NodeId peer) {
    boolean bootstrapper = bootstrapDials.remove(address);
    boolean cached = address.equals(cachedDials.get(peer)) && cachedDials.remove(peer) != null;
    return bootstrapper || cached;
  }

  @Override
  public void dialFailed(PeerAddress address, NodeId expected, DialFailure failure, String reason) {
    if (expected == null) {
      if (bootstrapDials.contains(address)) bootstrapFailed(address, failure, reason);
      return;
    }
    if (address.equals(cachedDials.get(expected))) {
      cachedDials.remove(expected);
      cachedPeerFailed(expected, address, failure, reason);
    }
    if (awaitingLink.remove(expected) != null && !stopped) {
      membership.linkDown(expected, clock.millis());
    }
  }

  @Override
  public void message(LinkInfo link, int channel, ByteBuf body) {
    NodeId peer = link.peer();
    long now = clock.millis();
    lastHeardMillis.put(peer, now);
    if (stopped) return;
    ByteBuffer bytes = body.nioBuffer();
    try {
      switch (channel) {
        case CHANNEL_MEMBERSHIP -> {
          MembershipMessage m = MembershipCodec.decode(bytes);
          requireConsumed(bytes);
          membership.onMessage(peer, m, now);
        }
        case CHANNEL_BROADCAST -> {
          BroadcastMessage m = BroadcastCodec.decode(bytes);
          requireConsumed(bytes);
          broadcast.receive(peer, m, now);
        }
        default -> violation(link, "unknown channel " + channel);
      }
    } catch (MembershipDecodeException | MalformedBroadcastException e) {
      violation(link, "undecodable channel " + channel + " message: " + e.getMessage());
    }
  }

  private static void requireConsumed(ByteBuffer bytes) throws MalformedBroadcastException {
    if (bytes.hasRemaining()) {
      throw new MalformedBroadcastException(bytes.remaining() + " trailing bytes");
    }
  }

  @Override
  public void violation(NodeId peer, String what) {
    punish(peer, Reputation.Offence.PROTOCOL_VIOLATION); // the link layer logged it and closes the link
  }

  private void violation(LinkInfo link, String what) {
    log.warn("protocol violation by {} at {}: {}", link.peer().hex(), link.remote(), what);
    punish(link.peer(), Reputation.Offence.PROTOCOL_VIOLATION);
  }

  private void punish(NodeId peer, Reputation.Offence offence) {
    long now = clock.millis();
    if (reputation.offend(peer, offence, now)) {
      long seconds = reputation.banRemaining(peer, now) / 1000;
      log.warn("banned {} for {} s after {}", peer.hex(), seconds, offence);
      links.close(peer, "banned after " + offence);
    }
  }

  // ------------------------------------------------------------------ membership core → world

  @Override
  public void send(Peer to, MembershipMessage message) {
    NodeId id = to.id();
    if (links.isLinked(id)) {
      sendNow(id, message);
      return;
    }
    ArrayDeque<MembershipMessage> queue = awaitingLink.get(id);
    if (queue == null) {
      if (reputation.banRemaining(id, clock.millis()) > 0) {
        loop.execute(() -> membership.linkDown(id, clock.millis())); // never call back into the core inline
        return;
      }
      queue = new ArrayDeque<>();
      awaitingLink.put(id, queue);
      links.dial(to.address(), id);
    }
    if (queue.size() == MAX_AWAITING_PER_PEER) {
      queue.pollFirst();
      framesDropped++;
    }
    queue.addLast(message);
  }

  @Override
  public void reply(NodeId to, MembershipMessage message) {
    if (links.isLinked(to)) sendNow(to, message);
  }

  private void sendNow(NodeId peer, MembershipMessage message) {
    if (!links.send(peer, CHANNEL_MEMBERSHIP, Unpooled.wrappedBuffer(MembershipCodec.encode(message)))) {
      framesDropped++;
    }
  }

  @Override
  public void disconnect(NodeId peer) {
    awaitingLink.remove(peer);
    if (links.isLinked(peer)) {
      closingOnPurpose.add(peer);
      links.close(peer, "membership dropped the peer");
    }
  }

  @Override
  public void schedule(long delayMillis, MembershipTimer timer) {
    loop.schedule(() -> {
      if (!stopped) membership.onTimer(timer, clock.millis());
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void neighborUp(NodeId peer) {
    broadcast.neighborUp(peer);
  }

  @Override
  public void neighborDown(NodeId peer) {
    broadcast.neighborDown(peer);
  }

  // ------------------------------------------------------------------ broadcast core → world

  @Override
  public void send(NodeId peer, BroadcastMessage message) {
    if (!links.send(peer, CHANNEL_BROADCAST, Unpooled.wrappedBuffer(BroadcastCodec.encode(message)))) {
      framesDropped++;
    }
  }

  @Override
  public void schedule(long delayMillis, BroadcastTimer timer) {
    loop.schedule(() -> {
      if (!stopped) broadcast.timerFired(timer, clock.millis());
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops) {
    hub.deliverFromNetwork(dataType, data, verdict -> {
      if (!stopped) broadcast.validated(id, toCore(verdict), clock.millis());
    });
  }

  private static Verdict toCore(voidphone.gossip.api.Verdict verdict) {
    return switch (verdict) {
      case VALID -> Verdict.VALID;
      case INVALID -> Verdict.INVALID;
      case EXPIRED -> Verdict.EXPIRED;
      case UNWANTED -> Verdict.UNWANTED;
    };
  }

  @Override
  public void penalize(NodeId peer, Misbehaviour why) {
    log.info("peer {} sent {}", peer.hex(), why);
    punish(peer, switch (why) {
      case FORGED_ITEM_ID -> Reputation.Offence.FORGED_ITEM;
      case INVALID_ITEM -> Reputation.Offence.INVALID_ITEM;
    });
  }

  // ------------------------------------------------------------------ peer cache

  /** Hands the views to the peer cache, which writes them off the loop when they changed. */
  private void savePeers() {
    if (stopped) return;
    List<Peer> known = knownPeers();
    if (!known.isEmpty()) cachedPeers = known; // a later isolation bootstraps through who was known last
    peerCache.save(known);
  }

  /** Active view first, then passive, each peer once, at most as many as the cache file holds. */
  private List<Peer> knownPeers() {
    Map<NodeId, Peer> known = new LinkedHashMap<>();
    for (List<Peer> view : List.of(membership.activeView(), membership.passiveView())) {
      for (Peer peer : view) {
        if (known.size() == PeerCacheFile.MAX_PEERS) return List.copyOf(known.values());
        known.putIfAbsent(peer.id(), peer);
      }
    }
    return List.copyOf(known.values());
  }

  // ------------------------------------------------------------------ status

  List<Peer> activeView() {
    return membership.activeView();
  }

  List<Peer> passiveView() {
    return membership.passiveView();
  }

  long framesDropped() {
    return framesDropped;
  }

  BroadcastStats broadcastStats() {
    return broadcast.stats();
  }
}
