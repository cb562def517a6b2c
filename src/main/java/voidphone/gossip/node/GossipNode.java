package voidphone.gossip.node;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.admin.AdminServer;
import voidphone.gossip.admin.LiveView;
import voidphone.gossip.api.ApiHub;
import voidphone.gossip.api.ApiServer;
import voidphone.gossip.api.ApiSettings;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.identity.Hostkey;
import voidphone.gossip.identity.PowFile;
import voidphone.gossip.identity.PowStamp;
import voidphone.gossip.identity.ProofOfWork;
import voidphone.gossip.link.ControlMessage;
import voidphone.gossip.link.IdentityPolicy;
import voidphone.gossip.link.LinkManager;
import voidphone.gossip.link.Transport;

/**
 * One running gossip peer: its API server, its peer links, the membership and broadcast cores and
 * the optional admin endpoint, all driven by one event-loop thread that owns the node's state, so
 * nothing in the node needs a lock. {@link #close()} leaves the overlay gracefully.
 *
 * <p>By default the node makes that loop itself and stops it on close. Many nodes in one process
 * can share a few threads instead ({@link NodeOptions#withEventLoops}): each still runs on one loop
 * of the group, and closing a node closes everything of it on that loop but leaves the loop running.
 */
public final class GossipNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GossipNode.class);
  /** How long {@link #close()} waits for connections to close and the loop to stop. */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final NodeId id;
  private final EventLoop loop;
  /** The one-thread group this node made and shuts down; null when it runs on a shared group. */
  private final EventLoopGroup ownGroup;
  private final ApiServer api;
  private final PeerService peers;
  private final LinkManager links;
  private final InetSocketAddress p2pAddress;
  private final AdminServer admin;
  private final PeerCache peerCache;
  private final AtomicBoolean closed = new AtomicBoolean();
  private InetSocketAddress adminBound;

  private GossipNode(NodeId id, EventLoop loop, EventLoopGroup ownGroup, ApiServer api, PeerService peers,
      LinkManager links, InetSocketAddress p2pAddress, AdminServer admin, PeerCache peerCache) {
    this.id = id;
    this.loop = loop;
    this.ownGroup = ownGroup;
    this.api = api;
    this.peers = peers;
    this.links = links;
    this.p2pAddress = p2pAddress;
    this.admin = admin;
    this.peerCache = peerCache;
  }

  /**
   * Binds the configured addresses, starts serving and joins the overlay through the configured
   * bootstrappers and the peers it knew when it last ran ({@code <hostkey>.peers}); returns once
   * listening (joining goes on in the background).
   *
   * @throws IOException when an address cannot be resolved or bound, with a message naming it
   */
  public static GossipNode start(GossipConfig config, Hostkey hostkey) throws IOException {
    return start(config, hostkey, NodeOptions.production());
  }

  /**
   * A group of {@code threads} event loops for many nodes in one process to share (see {@link
   * NodeOptions#withEventLoops}), on this machine's transport, its threads named {@code
   * gossip-loop-*}. Whoever makes it shuts it down, after closing its nodes.
   */
  public static EventLoopGroup newEventLoops(int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory("gossip-loop"), Transport.best().ioHandlerFactory());
  }

  /**
   * One event loop whose thread is called exactly {@code name} (the log pattern shows the thread),
   * for a node that should be told apart in a shared log; its maker shuts it down.
   */
  public static EventLoopGroup newNamedEventLoop(String name) {
    ThreadFactory named = task -> new FastThreadLocalThread(task, name);
    return new MultiThreadIoEventLoopGroup(1, named, Transport.best().ioHandlerFactory());
  }

  /** As {@link #start(GossipConfig, Hostkey)}, with settings the config file does not carry. */
  public static GossipNode start(GossipConfig config, Hostkey hostkey, NodeOptions options) throws IOException {
    if (hostkey.keyPair() == null) throw new IllegalArgumentException("a node needs its hostkey's key pair");
    InetSocketAddress apiBind = resolve("api_address", config.apiAddress());
    InetSocketAddress p2pBind = resolve("p2p_address", config.p2pAddress());
    Transport transport = Transport.best();
    EventLoopGroup ownGroup = options.eventLoops() != null
        ? null
        : new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("gossip-" + hostkey.id().shortHex()), transport.ioHandlerFactory());
    EventLoop loop = (ownGroup != null ? ownGroup : options.eventLoops()).next();
    // what a failed start must close on a shared loop, in the order it was opened (an own group just stops)
    List<Runnable> opened = new ArrayList<>();
    try {
      NodeClock clock = NodeClock.monotonic();
      SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
      // read here, on the starting thread: the loop never waits for a disk
      PeerCache peerCache = PeerCache.open(PeerCacheFile.pathFor(config.hostkey()), hostkey.id());
      PeerService peers = new PeerService(loop, clock, peerCache);
      ApiServer api;
      try {
        api = ApiServer.bind(loop, transport.serverChannel(), apiBind, ApiSettings.of(config), peers);
      } catch (IOException e) {
        throw cannotListen("api_address", config.apiAddress(), e.getCause() != null ? e.getCause() : e);
      }
      opened.add(() -> api.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS));
      int difficulty = config.powDifficulty();
      IdentityPolicy powPolicy = (peer, nonce) -> ProofOfWork.verify(peer, nonce, difficulty)
          ? null
          : new IdentityPolicy.Refusal(ControlMessage.Reason.PROOF_OF_WORK,
              "requires pow_difficulty >= " + difficulty + "; the proof of identity " + peer.shortHex() + " has "
                  + ProofOfWork.leadingZeroBits(peer, nonce) + " leading zero bits");
      LinkManager links = new LinkManager(hostkey.keyPair(), hostkey.pow().nonce(), options.links(), loop, transport,
          peers.banPolicy(powPolicy), peers);
      opened.add(() -> onLoop(loop, links::shutdown));
      InetSocketAddress p2pBound;
      try {
        p2pBound = links.listen(p2pBind, config.p2pAddress().host()).sync().getNow();
      } catch (Exception e) {
        throw cannotListen("p2p_address", config.p2pAddress(), e);
      }
      Peer self = new Peer(hostkey.id(), links.advertised());
      MembershipConfig membershipConfig = options.membership().apply(
          MembershipConfig.withDegree(config.degree()).withMaxPeersPerSubnet(config.maxPeersPerSubnet()));
      BroadcastConfig broadcastConfig = options.broadcast().apply(BroadcastConfig.defaults().withCacheSize(config.cacheSize()));
      NodeCore core = new NodeCore(self, options.settings(), membershipConfig, broadcastConfig, random,
          Reputation.withDefaults(), bootstrapAddresses(config), peerCache.loaded());
      boolean powReady = ProofOfWork.verify(hostkey.id(), hostkey.pow().nonce(), difficulty);
      loop.submit(() -> {
        peers.attach(api.hub(), links, core);
        if (powReady) {
          peers.start();
        } else {
          links.pauseAccepting();
        }
      }).syncUninterruptibly();
      opened.add(() -> onLoop(loop, peers::crash)); // stops its timers; the failed node never joined
      if (!powReady) solveThenJoin(config, hostkey, loop, links, peers);
      AdminServer admin = null;
      InetSocketAddress adminAt = null;
      if (config.adminAddress().isPresent()) {
        NodeStatusSource source = new NodeStatusSource(hostkey.id(), api, peers, links, difficulty);
        List<InetSocketAddress> adminPeers = new ArrayList<>();
        for (HostPort peer : options.adminPeers()) adminPeers.add(resolve("admin peer", peer));
        LiveView live = new LiveView(source::status, peers.recentItems(), adminPeers, LiveView.Limits.defaults());
        admin = new AdminServer(source::status, source::metrics, live);
        AdminServer closing = admin;
        opened.add(() -> closing.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS));
        InetSocketAddress adminBind = resolve("admin_address", config.adminAddress().get());
        InetSocketAddress adminBound;
        try {
          adminBound = admin.bind(loop, transport.serverChannel(), adminBind);
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) { // Netty throws its bind failure undeclared
          throw cannotListen("admin_address", config.adminAddress().get(), e);
        }
        log.info("admin endpoint on http://{}/status, live view at http://{}/", format(adminBound), format(adminBound));
        adminAt = adminBound;
      }
      log.info("gossip node {} serving the API on {}, peers on {} ({})",
          hostkey.id().hex(), format(api.localAddress()), format(p2pBound), transport.name() + ", " + LinkManager.tlsEngine());
      GossipNode node = new GossipNode(hostkey.id(), loop, ownGroup, api, peers, links, p2pBound, admin, peerCache);
      node.adminBound = adminAt;
      return node;
    } catch (IOException | RuntimeException e) {
      abandon(ownGroup, opened);
      throw e;
    } catch (InterruptedException e) {
      abandon(ownGroup, opened);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting", e);
    }
  }

  /**
   * One line naming the config key, its address and why it could not be bound. A port in use is a
   * {@link BindException}, so a caller that chose the ports (the testnet) can say how to pick others;
   * Netty's own wording ({@code bind(..) failed with error(-98): ...}) is cut to the reason.
   */
  private static IOException cannotListen(String key, Object address, Throwable cause) {
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    boolean inUse = cause instanceof BindException || reason.contains("Address already in use");
    if (inUse) {
      BindException e = new BindException(key + " " + address + ": cannot listen: the port is already in use");
      e.initCause(cause);
      return e;
    }
    return new IOException(key + " " + address + ": cannot listen: " + reason.replaceFirst("^bind\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", ""), cause);
  }

  /** Undoes a failed start: stops the node's own group, or on a shared one closes what was opened. */
  private static void abandon(EventLoopGroup ownGroup, List<Runnable> opened) {
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      return;
    }
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).run();
      } catch (RuntimeException e) {
        log.warn("closing a node that failed to start: {}", e.toString());
      }
    }
  }

  /** Runs {@code step} on {@code loop} and waits a while for the future it returns. */
  private static boolean onLoop(EventLoop loop, Supplier<Future<?>> step) {
    return loop.submit(step::get).syncUninterruptibly().getNow().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Solves (or reads) the proof of work off the loop, then opens the node to peers. The API serves
   * meanwhile: a first start with a new key must not keep local modules waiting for seconds.
   */
  private static void solveThenJoin(GossipConfig config, Hostkey hostkey, EventLoop loop, LinkManager links,
      PeerService peers) {
    log.info("identity {}: solving its proof of work ({} bits) before joining; the API serves meanwhile",
        hostkey.id().shortHex(), config.powDifficulty());
    Thread solver = new Thread(() -> {
      PowStamp stamp = PowFile.ensure(config.hostkey(), hostkey.id(), config.powDifficulty());
      try {
        loop.execute(() -> {
          links.resumeAccepting(stamp.nonce());
          peers.start();
        });
      } catch (RejectedExecutionException closedMeanwhile) {
        // the node was closed before the work was done: nothing to join
      }
    }, "gossip-pow-" + hostkey.id().shortHex());
    solver.setDaemon(true);
    solver.start();
  }

  private static List<PeerAddress> bootstrapAddresses(GossipConfig config) {
    return config.bootstrappers().stream().map(b -> new PeerAddress(b.host(), b.port())).toList();
  }

  private static InetSocketAddress resolve(String key, HostPort hostPort) throws IOException {
    InetSocketAddress address = new InetSocketAddress(hostPort.host(), hostPort.port());
    if (address.isUnresolved()) {
      throw new IOException(key + " " + hostPort + ": cannot resolve host " + hostPort.host());
    }
    return address;
  }

  static String format(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** This node's identity. */
  public NodeId id() {
    return id;
  }

  /** The bound admin address, null without {@code admin_address}. */
  InetSocketAddress adminAddress() {
    return adminBound;
  }

  /** The bound API address (the real port when the config said 0). */
  public InetSocketAddress apiAddress() {
    return api.localAddress();
  }

  /** The bound peer address (the real port when the config said 0). */
  public InetSocketAddress p2pAddress() {
    return p2pAddress;
  }

  /** The hub that later layers plug into; use it only on {@link #loop()}. */
  ApiHub apiHub() {
    return api.hub();
  }

  /** The one thread that owns this node's state. */
  EventLoop loop() {
    return loop;
  }

  /** The core's timers scheduled on the node's loop now, read on the loop: none once the node stopped. */
  int scheduledTimers() {
    return loop.submit(peers::scheduledTimers).syncUninterruptibly().getNow();
  }

  /** Handshakes this node refused (proof of work, bans), read on the node's loop. */
  long refusals() {
    return loop().submit(links::refusals).syncUninterruptibly().getNow();
  }

  /** The active view now: peers with an open link, read on the node's loop. */
  public List<Peer> activeView() {
    return loop().submit(peers::activeView).syncUninterruptibly().getNow();
  }

  /**
   * The broadcast core's counters now, read on the node's loop: tests and benchmarks count payload
   * messages with it without an admin endpoint.
   */
  Map<BroadcastCounter, Long> broadcastCounters() {
    return loop().submit(() -> peers.broadcastStats().snapshot()).syncUninterruptibly().getNow();
  }

  /**
   * What waits inside the node now, by name, as {@code /status} lists it under {@code queues}
   * (docs/METRICS.md), read on the node's loop: for a soak to watch without an admin endpoint.
   */
  public Map<String, Number> queues() {
    return loop().submit(() -> NodeStatusSource.queues(peers.core(), api, links)).syncUninterruptibly().getNow();
  }

  /** The passive view now, read on the node's loop. */
  public List<Peer> passiveView() {
    return loop().submit(peers::passiveView).syncUninterruptibly().getNow();
  }

  /**
   * Stops at once without telling anyone, as a crash or a pulled cable would: for tests of healing.
   * The peers notice by their links closing (or, across a real network, by missed keepalives). Its
   * own loop is stopped with everything on it; on a shared loop its links, API and admin connections
   * are closed and its timers stopped, but no membership message is sent.
   */
  void crash() {
    if (!closed.compareAndSet(false, true)) return;
    peerCache.close(); // a crash writes nothing more; a periodic write under way may finish
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(2 * CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      return;
    }
    if (loop.isShuttingDown()) return; // the group's owner stopped it: everything went with it
    Future<?> adminDown = closeAdmin();
    boolean linksDown = onLoop(loop, peers::crash);
    boolean apiDown = api.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    if (!linksDown || !apiDown || !adminDown.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip node {}: connections did not close within {} s of the crash", id.shortHex(), CLOSE_WAIT_SECONDS);
    }
  }

  /**
   * Leaves the overlay (neighbours are told at once), closes every connection and stops the node's
   * own event loop (a shared one runs on without it), waiting at most a few seconds for each; a
   * second call does nothing. Not to be called on an event-loop thread.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ownGroup == null && loop.isShuttingDown()) {
      log.warn("gossip node {}: its shared event loop was stopped before the node was closed", id.shortHex());
      peerCache.close();
      return;
    }
    var adminClosed = closeAdmin();
    var left = loop.submit(peers::leave).syncUninterruptibly().getNow(); // hands the views to the cache first
    if (!left.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip node {}: peer links did not close within {} s", id.shortHex(), CLOSE_WAIT_SECONDS);
    }
    peerCache.close();
    if (!api.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip node {}: API connections did not close within {} s", id.shortHex(), CLOSE_WAIT_SECONDS);
    }
    if (!adminClosed.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip node {}: admin connections did not close within {} s", id.shortHex(), CLOSE_WAIT_SECONDS);
    }
    if (ownGroup != null) {
      boolean stopped =
          ownGroup
              .shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
              .awaitUninterruptibly(2 * CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      if (!stopped) {
        log.warn("gossip node {}: event loop did not stop within {} s", id.shortHex(), 2 * CLOSE_WAIT_SECONDS);
      }
    }
    log.info("gossip node {} stopped", id.shortHex());
  }

  private Future<?> closeAdmin() {
    return admin != null ? admin.close() : loop.newSucceededFuture(null);
  }
}
