package voidphone.gossip.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import voidphone.gossip.admin.RecentItems;
import voidphone.gossip.api.ApiHub;
import voidphone.gossip.api.Spreader;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.NodeTimer;
import voidphone.gossip.core.Output;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastStats;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.link.ControlMessage;
import voidphone.gossip.link.IdentityPolicy;
import voidphone.gossip.link.LinkInfo;
import voidphone.gossip.link.LinkListener;
import voidphone.gossip.link.LinkManager;

/**
 * The runtime's driver of a node's {@link NodeCore}, on the node's event loop: turns what the links
 * and the API report into the core's inputs, and carries out the core's outputs with the links,
 * the codecs, the loop's timers, the API hub and the peer cache, in one switch. It decides nothing
 * protocol-shaped; it only moves bytes and time.
 */
final class PeerService implements LinkListener, Spreader {
  /** How often an ANNOUNCE that arrived before the core was attached checks again. */
  private static final long STARTING_RECHECK_MILLIS = 10;

  private final EventLoop loop;
  private final NodeClock clock;
  private final PeerCache peerCache;
  /** The last items seen, for the admin endpoint's live view. */
  private final RecentItems recent = RecentItems.withDefaults();
  private ApiHub hub;
  private LinkManager links;
  private NodeCore core;
  /**
   * The core's timers still scheduled on the loop, cancelled when the node stops: on a loop shared
   * with other nodes they would otherwise keep this node's state reachable until they fire.
   */
  private final Set<ScheduledFuture<?>> timers = new HashSet<>();
  private boolean stopped;
  /** Frames the links refused (no link any more, or its send queue full). */
  private long sendFailures;
  private DeliveryObserver observer = DeliveryObserver.NONE;

  PeerService(EventLoop loop, NodeClock clock, PeerCache peerCache) {
    this.loop = loop;
    this.clock = clock;
    this.peerCache = peerCache;
  }

  /** Completes construction: the core is made once the links know the advertised address. */
  void attach(ApiHub hub, LinkManager links, NodeCore core) {
    this.hub = hub;
    this.links = links;
    this.core = core;
  }

  /** Refuses banned peers at the handshake, before the proof of work is even checked. */
  IdentityPolicy banPolicy(IdentityPolicy next) {
    return (peer, nonce) -> {
      long left = core == null ? 0 : core.banRemaining(peer, clock.millis());
      if (left > 0) {
        return new IdentityPolicy.Refusal(ControlMessage.Reason.BANNED, "banned for " + left / 1000 + " s more");
      }
      return next.check(peer, nonce);
    };
  }

  /** Joins the overlay; nothing when the node was stopped meanwhile. */
  void start() {
    if (stopped) return;
    core.start(clock.millis());
    drain();
  }

  /** Spreads a local module's item (the API's {@code Spreader}). */
  @Override
  public void spread(int ttl, int dataType, byte[] data) {
    if (stopped) return;
    ItemId id = core.announce(ttl, dataType, data, clock.millis());
    if (id != null) recent.received(id.hex(), dataType, null, 0);
    drain();
  }

  /**
   * The API's {@code Spreader}: local items wait while the core asks them to, and while the node
   * is still starting (the API listens a moment before the core is attached; an ANNOUNCE that came
   * in between would otherwise have nowhere to go).
   */
  @Override
  public long admissionDelayMillis() {
    if (stopped) return 0; // spread() drops it: the node is going away
    if (core == null) return STARTING_RECHECK_MILLIS;
    return core.admissionDelayMillis(clock.millis());
  }

  /** Graceful leave: the core tells the neighbours and hands out its known peers, then every link is closed. */
  io.netty.util.concurrent.Future<?> leave() {
    if (!stopped && core != null) {
      core.leave(clock.millis());
      drain();
    }
    stop();
    return links.shutdown();
  }

  /**
   * A crash on a loop that lives on: every link is closed and nothing more happens, but the
   * neighbours are told nothing; they notice by their links closing.
   */
  io.netty.util.concurrent.Future<?> crash() {
    if (core != null) core.stop();
    stop();
    return links.shutdown();
  }

  private void stop() {
    stopped = true;
    for (ScheduledFuture<?> timer : timers) timer.cancel(false);
    timers.clear();
  }

  /** The core's timers now scheduled on the loop: none once the node stopped. */
  int scheduledTimers() {
    return timers.size();
  }

  // ------------------------------------------------------------------ links → core

  @Override
  public void linkUp(LinkInfo link) {
    if (stopped) return;
    String observed = link.remote() == null || link.remote().getAddress() == null
        ? null : link.remote().getAddress().getHostAddress();
    core.linkUp(link.peer(), link.listenAddress(), observed, link.dialled(), clock.millis());
    drain();
  }

  @Override
  public void linkDown(LinkInfo link, String reason) {
    if (stopped) return;
    core.linkDown(link.peer(), clock.millis());
    drain();
  }

  @Override
  public void alreadyLinked(PeerAddress address, LinkInfo link) {
    if (stopped) return;
    core.alreadyLinked(address, link.peer(), link.listenAddress(), clock.millis());
    drain();
  }

  @Override
  public void dialFailed(PeerAddress address, NodeId expected, DialFailure failure, String reason) {
    if (stopped) return;
    core.dialFailed(address, expected, failure, reason, clock.millis());
    drain();
  }

  @Override
  public void message(LinkInfo link, int channel, ByteBuf body) {
    if (stopped) return;
    core.frame(link.peer(), channel, body.nioBuffer(), clock.millis());
    drain();
  }

  @Override
  public void violation(NodeId peer, String what) {
    if (stopped) return;
    core.linkViolation(peer, clock.millis()); // the link layer logged it and closes the link
    drain();
  }

  // ------------------------------------------------------------------ core → world

  /** Carries out every output the core has queued, in order. */
  private void drain() {
    Output output;
    while ((output = core.poll()) != null) {
      switch (output) {
        case Output.SendMembership s ->
            send(s.to(), NodeCore.CHANNEL_MEMBERSHIP, MembershipCodec.encode(s.message()));
        case Output.SendBroadcast s ->
            send(s.to(), NodeCore.CHANNEL_BROADCAST, BroadcastCodec.encode(s.message()));
        case Output.Dial d -> links.dial(d.address(), d.expected());
        case Output.Close c -> links.close(c.peer(), c.reason().toString());
        case Output.Schedule s -> schedule(s.delayMillis(), s.timer());
        case Output.PauseReading p -> links.pauseReading(p.peer(), p.millis());
        case Output.Deliver d -> deliver(d);
        case Output.KnownPeers k -> peerCache.save(k.peers());
        case Output.Penalty p -> {} // the core logged it; the ban, if any, comes as a Close
      }
    }
  }

  /** Hands an item to the local modules, and remembers it (and later their verdict) for the live view. */
  private void deliver(Output.Deliver d) {
    String item = d.id().hex();
    recent.received(item, d.dataType(), d.from() == null ? null : d.from().hex(), d.hops());
    observer.delivered(d.hops());
    long receivedNanos = System.nanoTime();
    hub.deliverFromNetwork(d.dataType(), d.data(), verdict -> {
      recent.verdict(item, verdict.name().toLowerCase(Locale.ROOT));
      observer.judged(System.nanoTime() - receivedNanos);
      if (stopped) return;
      core.verdict(d.id(), verdict, clock.millis());
      drain();
    });
  }

  private void send(NodeId peer, int channel, byte[] body) {
    if (!links.send(peer, channel, Unpooled.wrappedBuffer(body))) {
      sendFailures++;
    }
  }

  private void schedule(long delayMillis, NodeTimer timer) {
    if (stopped) return;
    TimerTask task = new TimerTask(timer);
    task.future = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    timers.add(task.future);
  }

  /** One core timer on the loop: forgets itself when it runs, so that only pending ones are kept. */
  private final class TimerTask implements Runnable {
    private final NodeTimer timer;
    private ScheduledFuture<?> future;

    TimerTask(NodeTimer timer) {
      this.timer = timer;
    }

    @Override
    public void run() {
      timers.remove(future);
      if (stopped) return;
      core.timer(timer, clock.millis());
      drain();
    }
  }

  // ------------------------------------------------------------------ status

  /** The last items this node saw; read on the loop. */
  RecentItems recentItems() {
    return recent;
  }

  /** What the metrics learn of each item delivered to the local modules. */
  interface DeliveryObserver {
    DeliveryObserver NONE = new DeliveryObserver() {
      @Override
      public void delivered(int hops) {}

      @Override
      public void judged(long nanosSinceReceipt) {}
    };

    /** An item came from the network after {@code hops} hops and goes to the local modules. */
    void delivered(int hops);

    /** Its verdict came (valid, invalid, timed out or unwanted), this long after it was handed on. */
    void judged(long nanosSinceReceipt);
  }

  void observe(DeliveryObserver observer) {
    this.observer = observer;
  }

  NodeCore core() {
    return core;
  }

  List<Peer> activeView() {
    return core.activeView();
  }

  List<Peer> passiveView() {
    return core.passiveView();
  }

  /** Frames dropped: held too long for a link being dialled, or refused by the links. */
  long framesDropped() {
    return core.framesDropped() + sendFailures;
  }

  BroadcastStats broadcastStats() {
    return core.broadcastStats();
  }

  long graftTimeoutMillis() {
    return core.graftTimeoutMillis();
  }

  long graftRetryMillis() {
    return core.graftRetryMillis();
  }
}
