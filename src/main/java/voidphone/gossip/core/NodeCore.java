package voidphone.gossip.core;

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
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.Output.CloseReason;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastIo;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.BroadcastStats;
import voidphone.gossip.core.broadcast.BroadcastTimer;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.broadcast.MalformedBroadcastException;
import voidphone.gossip.core.broadcast.Plumtree;
import voidphone.gossip.core.broadcast.Verdict;
import voidphone.gossip.core.membership.HyParView;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.core.membership.MembershipDecodeException;
import voidphone.gossip.core.membership.MembershipIo;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.core.membership.MembershipTimer;

/**
 * Everything one gossip node decides, as one deterministic state machine: HyParView membership and
 * Plumtree broadcast composed, plus what lies between them and the links: which links are up, the
 * messages waiting for a link being dialled, bootstrapping (configured bootstrappers and known
 * peers, with back-off), closing idle links, and holding peers to account (reputation and bans).
 *
 * <p>Inputs are the public methods, each with the driver's monotonic clock; outputs are {@link
 * Output} records the driver takes with {@link #poll} after each input and carries out. The core
 * does no I/O, reads no clock and draws randomness only from the generator it is given. One
 * thread owns an instance. An output's effect may come back as a later input (a dial as {@link
 * #linkUp}, a timer as {@link #timer}); inputs given while outputs are still queued are fine, their
 * outputs queue behind.
 *
 * <p>The link model the core relies on: at most one link per peer id, authenticated (messages on it
 * are from the peer it names), delivering in order; every {@link Output.Dial} ends in exactly one of
 * {@link #linkUp}, {@link #alreadyLinked}, {@link #dialFailed}; every link that was up ends in one
 * {@link #linkDown}, whoever closed it.
 */
public final class NodeCore {
  private static final Logger log = LoggerFactory.getLogger("peers");

  /** The frame channel of membership messages (channel 0 is the link's own). */
  public static final int CHANNEL_MEMBERSHIP = 1;
  /** The frame channel of broadcast messages. */
  public static final int CHANNEL_BROADCAST = 2;

  private final Peer self;
  private final NodeSettings settings;
  private final Reputation reputation;
  private final HyParView membership;
  private final Plumtree broadcast;
  private final ArrayDeque<Output> outbox = new ArrayDeque<>();

  /** Peers with a link up, and when each was last heard from. */
  private final Map<NodeId, Long> linked = new HashMap<>();
  /** What each linked peer may send before its link is read more slowly. */
  private final Map<NodeId, InboundAllowance> inbound = new HashMap<>();
  /** The IP address each linked peer's link comes from, where the driver said. */
  private final Map<NodeId, String> observedHosts = new HashMap<>();
  private final Map<NodeId, ArrayDeque<MembershipMessage>> awaitingLink = new HashMap<>();
  /** Links this core closed itself: their link-down is not news to membership. */
  private final Set<NodeId> closingOnPurpose = new HashSet<>();
  /**
   * Peers membership disconnected while their link was still being dialled: what waits for the
   * link (a SHUFFLE_REPLY to a walk's origin, a refusal) still goes out, then the link is closed.
   */
  private final Set<NodeId> closeOnceSent = new HashSet<>();

  private final Set<PeerAddress> bootstrappers;
  /** Peers to bootstrap through besides the bootstrappers: the peer cache's, later the views last saved. */
  private List<Peer> knownPeers;
  /** Where the next bootstrap round goes on in {@link #knownPeers}, so that every retry tries others. */
  private int knownCursor;
  private final Set<PeerAddress> bootstrapDials = new HashSet<>();
  /** Dials of known peers under way, by the identity expected, with the address dialled. */
  private final Map<NodeId, PeerAddress> knownDials = new HashMap<>();
  /**
   * Peers this bootstrap round sent a JOIN through: a second dial that reaches one of them (a
   * bootstrapper named by two addresses) must not send a second JOIN.
   */
  private final Set<NodeId> joinedThisRound = new HashSet<>();
  /**
   * What each bootstrapper's last dial came to, for the operator: logged at WARN when it changes to
   * unreachable (or fails for another kind of reason), at INFO when it is reachable again, and in
   * between at debug level, so that a bootstrapper down for hours is one line, not one per retry.
   */
  private final Map<PeerAddress, BootstrapperStatus> bootstrapperStatus = new LinkedHashMap<>();
  private long bootstrapBackoffMillis;
  /** A bootstrap retry is scheduled; the sweep must not dial before it. */
  private boolean bootstrapRetryPending;
  private long bootstrapRetryDelayMillis;

  /**
   * The time of the input being handled: the protocols' outputs carry no clock, and what they
   * cause (a ban check, a penalty) happens at that input's time.
   */
  private long now;
  private boolean started;
  private boolean stopped;
  private long framesDropped;

  /**
   * @param self this node's identity and advertised address
   * @param random the source of every random choice (split for each protocol)
   * @param bootstrappers the configured bootstrappers (identity unknown)
   * @param knownPeers peers known from an earlier run (the peer cache), bootstrapped through too
   */
  public NodeCore(Peer self, NodeSettings settings, MembershipConfig membershipConfig,
      BroadcastConfig broadcastConfig, RandomGenerator.SplittableGenerator random,
      Reputation reputation, List<PeerAddress> bootstrappers, List<Peer> knownPeers) {
    this.self = self;
    this.settings = settings;
    this.reputation = reputation;
    this.bootstrappers = new LinkedHashSet<>(bootstrappers);
    this.knownPeers = List.copyOf(knownPeers);
    this.bootstrapBackoffMillis = settings.firstBootstrapBackoffMillis();
    this.membership = new HyParView(self, membershipConfig, random.split(), new ToMembership());
    this.broadcast = new Plumtree(self.id(), broadcastConfig, random.split(), new ToBroadcast());
  }

  /** The next output to carry out, or null when none is left. */
  public Output poll() {
    return outbox.poll();
  }

  // ------------------------------------------------------------------ inputs: life cycle

  /** Joins the overlay (bootstraps) and starts the node's own timers; once. */
  public void start(long nowMillis) {
    now = nowMillis;
    if (started || stopped) {
      return;
    }
    started = true;
    bootstrap(nowMillis);
    schedule(settings.sweepMillis(), NodeTimer.SWEEP);
    schedule(settings.savePeersMillis(), NodeTimer.SAVE_PEERS);
  }

  /**
   * Graceful leave: the known peers are handed out for the last time (leaving empties the views),
   * neighbours are told, and from then on every input is ignored. The driver closes every link
   * once it has carried out the outputs.
   */
  public void leave(long nowMillis) {
    now = nowMillis;
    if (stopped) {
      return;
    }
    List<Peer> known = knownPeersNow();
    if (!known.isEmpty()) {
      outbox.add(new Output.KnownPeers(known));
    }
    stopped = true;
    membership.leave(nowMillis);
  }

  /**
   * One more bootstrapper, as if the configuration had named it: dialled at once while the node
   * has no neighbour, and again by every later bootstrap round.
   */
  public void addBootstrapper(PeerAddress address, long nowMillis) {
    now = nowMillis;
    if (stopped || !bootstrappers.add(address)) {
      return;
    }
    bootstrap(nowMillis);
  }

  /** A crash: nothing more happens and nobody is told; every later input is ignored. */
  public void stop() {
    stopped = true;
  }

  public boolean stopped() {
    return stopped;
  }

  // ------------------------------------------------------------------ inputs: links

  /**
   * A link to {@code peer} is up. {@code dialled} is the address this node dialled to open it,
   * null when the peer dialled us; {@code listenAddress} is where the peer accepts links.
   */
  public void linkUp(NodeId peer, PeerAddress listenAddress, PeerAddress dialled, long nowMillis) {
    linkUp(peer, listenAddress, null, dialled, nowMillis);
  }

  /**
   * The same, with {@code observedHost}: the IP address the link comes from as the transport saw it
   * (null if unknown), which the anti-eclipse bound counts beside the advertised one.
   */
  public void linkUp(NodeId peer, PeerAddress listenAddress, String observedHost, PeerAddress dialled,
      long nowMillis) {
    now = nowMillis;
    linked.put(peer, nowMillis);
    inbound.put(peer, new InboundAllowance(settings));
    if (observedHost != null) {
      observedHosts.put(peer, observedHost);
    }
    if (stopped) {
      return;
    }
    if (dialled != null && endBootstrapDial(dialled, peer)) {
      joinThrough(new Peer(peer, listenAddress), nowMillis);
    }
    ArrayDeque<MembershipMessage> queued = awaitingLink.remove(peer);
    if (queued != null) {
      for (MembershipMessage m : queued) {
        outbox.add(new Output.SendMembership(peer, m));
      }
    }
    if (closeOnceSent.remove(peer)) {
      close(peer, CloseReason.NOT_NEEDED);
    }
  }

  /**
   * A dial of {@code address} found its peer linked already (named by two addresses, or linked
   * without being a neighbour).
   */
  public void alreadyLinked(PeerAddress address, NodeId peer, PeerAddress listenAddress, long nowMillis) {
    now = nowMillis;
    if (stopped) {
      return;
    }
    if (endBootstrapDial(address, peer) && !membership.isNeighbor(peer) && !joinedThisRound.contains(peer)) {
      joinThrough(new Peer(peer, listenAddress), nowMillis);
    }
  }

  /** The link to {@code peer} is gone, whoever closed it. */
  public void linkDown(NodeId peer, long nowMillis) {
    now = nowMillis;
    linked.remove(peer);
    inbound.remove(peer);
    observedHosts.remove(peer);
    awaitingLink.remove(peer);
    closeOnceSent.remove(peer);
    if (closingOnPurpose.remove(peer) || stopped) {
      return; // this core asked for it, and membership knows
    }
    membership.linkDown(peer, nowMillis);
  }

  /** A dial did not lead to a link; {@code expected} is the identity dialled for, null for a bootstrapper. */
  public void dialFailed(PeerAddress address, NodeId expected, DialFailure failure, String reason, long nowMillis) {
    now = nowMillis;
    if (stopped) {
      return;
    }
    if (expected == null) {
      if (bootstrapDials.contains(address)) {
        bootstrapFailed(address, failure, reason, nowMillis);
      }
      return;
    }
    if (address.equals(knownDials.get(expected))) {
      knownDials.remove(expected);
      knownPeerFailed(expected, address, failure, reason, nowMillis);
    }
    boolean wasQuietlyClosing = closeOnceSent.remove(expected);
    if (awaitingLink.remove(expected) != null && !wasQuietlyClosing) {
      membership.dialFailed(expected, nowMillis);
    }
  }

  /** Milliseconds left of {@code peer}'s ban, 0 when it is not banned: the driver refuses its handshakes. */
  public long banRemaining(NodeId peer, long nowMillis) {
    return reputation.banRemaining(peer, nowMillis);
  }

  // ------------------------------------------------------------------ inputs: messages

  /**
   * A frame of {@code channel} from {@code peer}, undecoded. A frame that does not decode exactly
   * is a protocol violation: the peer is blamed (banned at once) and its link closed.
   */
  public void frame(NodeId peer, int channel, ByteBuffer body, long nowMillis) {
    now = nowMillis;
    heardFrom(peer, nowMillis, body.remaining());
    if (ignores(peer, nowMillis)) {
      return;
    }
    try {
      switch (channel) {
        case CHANNEL_MEMBERSHIP -> {
          MembershipMessage m = MembershipCodec.decode(body);
          membership.onMessage(peer, m, nowMillis);
        }
        case CHANNEL_BROADCAST -> {
          BroadcastMessage m = BroadcastCodec.decode(body);
          if (body.hasRemaining()) {
            throw new MalformedBroadcastException(body.remaining() + " trailing bytes");
          }
          broadcast.receive(peer, m, nowMillis);
        }
        default -> violation(peer, "unknown channel " + channel, nowMillis);
      }
    } catch (MembershipDecodeException | MalformedBroadcastException e) {
      violation(peer, "undecodable channel " + channel + " message: " + e.getMessage(), nowMillis);
    }
  }

  /** A decoded membership message from {@code peer} (the simulator passes messages as objects). */
  public void receive(NodeId peer, MembershipMessage message, long nowMillis) {
    now = nowMillis;
    heardFrom(peer, nowMillis, MembershipCodec.encodedLength(message));
    if (!ignores(peer, nowMillis)) {
      membership.onMessage(peer, message, nowMillis);
    }
  }

  /** A decoded broadcast message from {@code peer}. */
  public void receive(NodeId peer, BroadcastMessage message, long nowMillis) {
    now = nowMillis;
    heardFrom(peer, nowMillis, BroadcastCodec.encodedSize(message));
    if (!ignores(peer, nowMillis)) {
      broadcast.receive(peer, message, nowMillis);
    }
  }

  /** The link layer saw {@code peer} break the link protocol (it logged it and closes the link). */
  public void linkViolation(NodeId peer, long nowMillis) {
    now = nowMillis;
    punish(peer, Reputation.Offence.PROTOCOL_VIOLATION, nowMillis);
  }

  /**
   * Whether a message from {@code peer} goes unread: the node stopped, or the peer is banned and its
   * link is closing (frames it sent before the close may still come in).
   */
  private boolean ignores(NodeId peer, long nowMillis) {
    return stopped || reputation.banRemaining(peer, nowMillis) > 0;
  }

  /** A message of {@code size} bytes came from {@code peer}: it is alive, and it used its allowance. */
  private void heardFrom(NodeId peer, long nowMillis, int size) {
    linked.replace(peer, nowMillis); // no entry for a peer without a link
    InboundAllowance allowance = inbound.get(peer);
    long pause = allowance == null ? 0 : allowance.charge(size, nowMillis);
    if (pause > 0) {
      log.debug("reading from {} paused for {} ms: over its allowance of {} messages, {} bytes a second",
          peer.shortHex(), pause, settings.inboundMessagesPerSecond(), settings.inboundBytesPerSecond());
      outbox.add(new Output.PauseReading(peer, pause));
    }
  }

  private void violation(NodeId peer, String what, long nowMillis) {
    log.warn("protocol violation by {}: {}", peer.hex(), what);
    punish(peer, Reputation.Offence.PROTOCOL_VIOLATION, nowMillis);
  }

  // ------------------------------------------------------------------ inputs: local modules, timers

  /** Spreads a local module's item; returns its id, or null when the node has stopped. */
  public ItemId announce(int ttl, int dataType, byte[] data, long nowMillis) {
    now = nowMillis;
    return stopped ? null : broadcast.broadcast(ttl, dataType, data, nowMillis);
  }

  /** How long the next local item should wait before {@link #announce} (see Plumtree's admission). */
  public long admissionDelayMillis(long nowMillis) {
    return stopped ? 0 : broadcast.admissionDelayMillis(nowMillis);
  }

  /** The local subscribers' verdict on a {@link Output.Deliver}ed item. */
  public void verdict(ItemId id, Verdict verdict, long nowMillis) {
    now = nowMillis;
    if (!stopped) {
      broadcast.validated(id, verdict, nowMillis);
    }
  }

  /** A timer this core {@linkplain Output.Schedule scheduled} came due. */
  public void timer(NodeTimer timer, long nowMillis) {
    now = nowMillis;
    if (stopped) {
      return;
    }
    switch (timer) {
      case NodeTimer.Membership t -> membership.onTimer(t.timer(), nowMillis);
      case NodeTimer.Broadcast t -> broadcast.timerFired(t.timer(), nowMillis);
      case NodeTimer.Sweep t -> sweep(nowMillis);
      case NodeTimer.BootstrapRetry t -> {
        bootstrapRetryPending = false;
        bootstrap(nowMillis);
      }
      case NodeTimer.SavePeers t -> savePeers();
      case NodeTimer.DialRefused t -> membership.linkDown(t.peer(), nowMillis);
    }
  }

  // ------------------------------------------------------------------ bootstrap

  /**
   * Dials the bootstrappers and the next few known peers while the node has no neighbour; the
   * outcome of each dial comes back as linkUp, alreadyLinked or dialFailed.
   */
  private void bootstrap(long nowMillis) {
    if (stopped || !membership.activeView().isEmpty()) {
      return;
    }
    if (bootstrappers.isEmpty() && knownPeers.isEmpty()) {
      return; // the first node of a network
    }
    joinedThisRound.clear();
    for (PeerAddress address : bootstrappers) {
      if (bootstrapDials.add(address)) {
        BootstrapperStatus status = bootstrapperStatus.get(address);
        if (status == null || status.reachable()) {
          log.info("bootstrapping via {}", address);
        } else {
          log.debug("bootstrapping via {} (unreachable for {} dials)", address, status.failedDials()); // it warned once
        }
        outbox.add(new Output.Dial(address, null));
      }
    }
    dialKnownPeers(nowMillis);
  }

  /** Up to {@code knownPeersDialledAtOnce} known peers, taking up after the ones the last round tried. */
  private void dialKnownPeers(long nowMillis) {
    int slots = settings.knownPeersDialledAtOnce() - knownDials.size();
    if (knownPeers.isEmpty() || slots <= 0) {
      return;
    }
    List<Peer> chosen = new ArrayList<>(slots);
    for (int looked = 0; looked < knownPeers.size() && chosen.size() < slots; looked++) {
      int at = knownCursor % knownPeers.size(); // the list may have been replaced since
      Peer peer = knownPeers.get(at);
      knownCursor = at + 1;
      if (knownDials.containsKey(peer.id()) || peer.id().equals(self.id())
          || bootstrappers.contains(peer.address()) // dialled as a bootstrapper already
          || reputation.banRemaining(peer.id(), nowMillis) > 0) {
        continue;
      }
      chosen.add(peer);
    }
    if (chosen.isEmpty()) {
      return;
    }
    // once per isolation: the retries that follow say it at debug level
    if (bootstrapBackoffMillis == settings.firstBootstrapBackoffMillis()) {
      log.info("bootstrapping via the peer cache ({} peers known, dialling {})", knownPeers.size(), chosen.size());
    } else {
      log.debug("bootstrapping via the peer cache ({} peers known, dialling {})", knownPeers.size(), chosen.size());
    }
    for (Peer peer : chosen) {
      if (linked.containsKey(peer.id())) { // linked but no neighbour (an idle link): join on that link
        joinThrough(peer, nowMillis);
        continue;
      }
      knownDials.put(peer.id(), peer.address());
      outbox.add(new Output.Dial(peer.address(), peer.id()));
    }
  }

  /** A bootstrap dial reached {@code contact}: join the overlay through it, as the spec's bootstrapper. */
  private void joinThrough(Peer contact, long nowMillis) {
    bootstrapBackoffMillis = settings.firstBootstrapBackoffMillis();
    joinedThisRound.add(contact.id());
    membership.join(contact, nowMillis);
  }

  /** Whether {@code address} was dialled to bootstrap (as a bootstrapper or a known peer); ends that dial. */
  private boolean endBootstrapDial(PeerAddress address, NodeId peer) {
    boolean bootstrapper = bootstrapDials.remove(address);
    if (bootstrapper) {
      BootstrapperStatus before = bootstrapperStatus.put(address, new BootstrapperStatus(address, true, 0, null, null));
      if (before != null && !before.reachable()) {
        log.info("bootstrapper {} reachable again (identity {}) after {} failed dials", address, peer.shortHex(),
            before.failedDials());
      }
    }
    boolean known = address.equals(knownDials.get(peer)) && knownDials.remove(peer) != null;
    return bootstrapper || known;
  }

  private void bootstrapFailed(PeerAddress address, DialFailure failure, String reason, long nowMillis) {
    bootstrapDials.remove(address);
    if (failure == DialFailure.SELF) {
      log.info("bootstrapper {} is this node itself; not dialling it again", address);
      bootstrappers.remove(address);
      return;
    }
    long retry = retryBootstrap();
    BootstrapperStatus before = bootstrapperStatus.get(address);
    boolean news = before == null || before.reachable() || before.failure() != failure;
    int failed = before == null || before.reachable() ? 1 : before.failedDials() + 1;
    bootstrapperStatus.put(address, new BootstrapperStatus(address, false, failed, failure, reason));
    if (news) {
      log.warn("bootstrapper {} unreachable: {}; retrying in {} s, then less and less often (at most every {} s); "
          + "logged again when that changes", address, reason, Math.max(1, retry / 1000),
          settings.maxBootstrapBackoffMillis() / 1000);
    } else {
      log.debug("bootstrapper {} still unreachable ({} dials): {}; retrying in {} ms", address, failed, reason, retry);
    }
  }

  /**
   * What one configured bootstrapper's dials came to.
   *
   * @param reachable whether its last dial led to a link
   * @param failedDials dials that failed in a row since it was last reachable (0 when reachable)
   * @param failure the kind of the last failure, null when reachable
   * @param lastError why the last dial failed, as logged; null when reachable
   */
  public record BootstrapperStatus(PeerAddress address, boolean reachable, int failedDials, DialFailure failure,
      String lastError) {}

  /**
   * The configured bootstrappers (and those added since), in order, each with what its dials came
   * to; a bootstrapper not yet dialled to an outcome is listed as not reachable with no error.
   */
  public List<BootstrapperStatus> bootstrappers() {
    List<BootstrapperStatus> all = new ArrayList<>(bootstrappers.size());
    for (PeerAddress address : bootstrappers) {
      all.add(bootstrapperStatus.getOrDefault(address, new BootstrapperStatus(address, false, 0, null, null)));
    }
    return all;
  }

  private void knownPeerFailed(NodeId id, PeerAddress address, DialFailure failure, String reason, long nowMillis) {
    if (failure == DialFailure.WRONG_IDENTITY || failure == DialFailure.SELF) {
      // another key answers there now: that peer is not coming back at this address
      knownPeers = knownPeers.stream().filter(p -> !p.id().equals(id)).toList();
    }
    log.debug("cached peer {} at {} unreachable ({}); retrying in {} ms", id.shortHex(), address, reason,
        retryBootstrap());
  }

  /**
   * Schedules the next bootstrap round unless one is due already; the delay doubles with every round
   * (1 s to 60 s by default), not with every failed dial of a round. Returns the delay until the round.
   */
  private long retryBootstrap() {
    if (bootstrapRetryPending) {
      return bootstrapRetryDelayMillis;
    }
    long delay = bootstrapBackoffMillis;
    bootstrapBackoffMillis = Math.min(settings.maxBootstrapBackoffMillis(), bootstrapBackoffMillis * 2);
    bootstrapRetryPending = true;
    bootstrapRetryDelayMillis = delay;
    schedule(delay, NodeTimer.BOOTSTRAP_RETRY);
    return delay;
  }

  /** Closes idle links to non-neighbours, and bootstraps again when the node has become isolated. */
  private void sweep(long nowMillis) {
    schedule(settings.sweepMillis(), NodeTimer.SWEEP);
    for (Map.Entry<NodeId, Long> link : linked.entrySet()) {
      NodeId peer = link.getKey();
      if (membership.isNeighbor(peer) || awaitingLink.containsKey(peer) || closingOnPurpose.contains(peer)) {
        continue;
      }
      if (nowMillis - link.getValue() > settings.idleLinkMillis()) {
        close(peer, CloseReason.IDLE);
      }
    }
    if (membership.activeView().isEmpty() && bootstrapDials.isEmpty() && knownDials.isEmpty()
        && !bootstrapRetryPending) {
      bootstrapBackoffMillis = settings.firstBootstrapBackoffMillis();
      bootstrap(nowMillis);
    }
  }

  // ------------------------------------------------------------------ accountability

  /** Scores an offence of {@code peer}; returns true when it got the peer banned. */
  private boolean punish(NodeId peer, Reputation.Offence offence, long nowMillis) {
    outbox.add(new Output.Penalty(peer, offence));
    if (!reputation.offend(peer, offence, nowMillis)) {
      return false;
    }
    long seconds = reputation.banRemaining(peer, nowMillis) / 1000;
    log.warn("banned {} for {} s after {}", peer.hex(), seconds, offence);
    // not on purpose for membership: it must learn that the link is gone, as for any failure
    outbox.add(new Output.Close(peer, CloseReason.BANNED));
    return true;
  }

  /** Closes a link this core no longer needs; its link-down is not news to membership. */
  private void close(NodeId peer, CloseReason reason) {
    closingOnPurpose.add(peer);
    outbox.add(new Output.Close(peer, reason));
  }

  // ------------------------------------------------------------------ known peers

  private void savePeers() {
    schedule(settings.savePeersMillis(), NodeTimer.SAVE_PEERS);
    List<Peer> known = knownPeersNow();
    if (!known.isEmpty()) {
      knownPeers = known; // a later isolation bootstraps through who was known last
      outbox.add(new Output.KnownPeers(known));
    }
  }

  /** Active view first, then passive, each peer once, at most {@code maxKnownPeers}. */
  private List<Peer> knownPeersNow() {
    Map<NodeId, Peer> known = new LinkedHashMap<>();
    for (List<Peer> view : List.of(membership.activeView(), membership.passiveView())) {
      for (Peer peer : view) {
        if (known.size() == settings.maxKnownPeers()) {
          return List.copyOf(known.values());
        }
        known.putIfAbsent(peer.id(), peer);
      }
    }
    return List.copyOf(known.values());
  }

  private void schedule(long delayMillis, NodeTimer timer) {
    outbox.add(new Output.Schedule(delayMillis, timer));
  }

  // ------------------------------------------------------------------ status

  public Peer self() {
    return self;
  }

  /** The neighbours, read-only and live: do not hold on to it across inputs. */
  public List<Peer> activeView() {
    return membership.activeView();
  }

  public List<Peer> passiveView() {
    return membership.passiveView();
  }

  public boolean isNeighbor(NodeId peer) {
    return membership.isNeighbor(peer);
  }

  public BroadcastStats broadcastStats() {
    return broadcast.stats();
  }

  /** The wait before GRAFTing an item announced by IHAVE, as learned so far. */
  public long graftTimeoutMillis() {
    return broadcast.graftTimeoutMillis();
  }

  /** The wait before asking the next announcer of a missing item, as learned so far. */
  public long graftRetryMillis() {
    return broadcast.graftRetryMillis();
  }

  /** Received items awaiting the local modules' verdict. */
  public int pendingValidations() {
    return broadcast.pendingValidations();
  }

  /** New items held back unseen because their sender has as many awaiting a verdict as it may. */
  public int heldItems() {
    return broadcast.heldItems();
  }

  /** Items announced to this node and not received yet. */
  public int missingItems() {
    return broadcast.missingItems();
  }

  /** Membership messages waiting for a link being dialled. */
  public int awaitingLink() {
    int n = 0;
    for (ArrayDeque<MembershipMessage> queue : awaitingLink.values()) n += queue.size();
    return n;
  }

  /** Membership messages dropped because too many waited for one peer's link. */
  public long framesDropped() {
    return framesDropped;
  }

  // ------------------------------------------------------------------ the protocols' outputs

  /** Membership's outputs, as the link model of {@link MembershipIo} asks. */
  private final class ToMembership implements MembershipIo {
    @Override
    public void send(Peer to, MembershipMessage message) {
      NodeId id = to.id();
      if (linked.containsKey(id)) {
        outbox.add(new Output.SendMembership(id, message));
        return;
      }
      closeOnceSent.remove(id); // wanted again
      ArrayDeque<MembershipMessage> queue = awaitingLink.get(id);
      if (queue == null) {
        if (reputation.banRemaining(id, now) > 0) {
          NodeCore.this.schedule(0, new NodeTimer.DialRefused(id)); // a banned peer is not dialled: its link fails
          return;
        }
        queue = new ArrayDeque<>();
        awaitingLink.put(id, queue);
        outbox.add(new Output.Dial(to.address(), id));
      }
      if (queue.size() == settings.maxAwaitingPerPeer()) {
        queue.pollFirst();
        framesDropped++;
      }
      queue.addLast(message);
    }

    @Override
    public void reply(NodeId to, MembershipMessage message) {
      if (linked.containsKey(to)) {
        outbox.add(new Output.SendMembership(to, message));
      }
    }

    @Override
    public void disconnect(NodeId peer) {
      if (awaitingLink.containsKey(peer)) {
        closeOnceSent.add(peer); // what was sent still goes out once the link is up
      } else if (linked.containsKey(peer)) {
        close(peer, CloseReason.NOT_NEEDED);
      }
    }

    @Override
    public void schedule(long delayMillis, MembershipTimer timer) {
      NodeCore.this.schedule(delayMillis, new NodeTimer.Membership(timer));
    }

    @Override
    public void neighborUp(NodeId peer) {
      broadcast.neighborUp(peer);
    }

    @Override
    public void neighborDown(NodeId peer) {
      broadcast.neighborDown(peer);
    }

    @Override
    public List<ItemId> recentItems() {
      return broadcast.recentItems(now, settings.evidenceMinAgeMillis(), settings.evidenceMaxAgeMillis(),
          settings.evidenceItems());
    }

    @Override
    public boolean seenAny(List<ItemId> ids) {
      return broadcast.hasSeenAny(ids);
    }

    @Override
    public String observedHost(NodeId peer) {
      return observedHosts.get(peer);
    }
  }

  /** Plumtree's outputs: it only ever addresses neighbours, whose links are up. */
  private final class ToBroadcast implements BroadcastIo {
    @Override
    public void send(NodeId peer, BroadcastMessage message) {
      outbox.add(new Output.SendBroadcast(peer, message));
    }

    @Override
    public void schedule(long delayMillis, BroadcastTimer timer) {
      NodeCore.this.schedule(delayMillis, new NodeTimer.Broadcast(timer));
    }

    @Override
    public void deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops) {
      outbox.add(new Output.Deliver(id, dataType, data, from, hops));
    }

    @Override
    public boolean penalize(NodeId peer, Reputation.Offence why) {
      log.info("peer {} sent {}", peer.hex(), why);
      return punish(peer, why, now);
    }
  }
}
