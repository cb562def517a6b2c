package voidphone.gossip.node;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.admin.AdminServer;
import voidphone.gossip.api.ApiHub;
import voidphone.gossip.api.ApiServer;
import voidphone.gossip.api.ApiSettings;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.Plumtree;
import voidphone.gossip.core.membership.HyParView;
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
 */
public final class GossipNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GossipNode.class);
  /** How long {@link #close()} waits for connections to close and the loop to stop. */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final NodeId id;
  private final EventLoopGroup group;
  private final ApiServer api;
  private final PeerService peers;
  private final LinkManager links;
  private final InetSocketAddress p2pAddress;
  private final AdminServer admin;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GossipNode(NodeId id, EventLoopGroup group, ApiServer api, PeerService peers, LinkManager links,
      InetSocketAddress p2pAddress, AdminServer admin) {
    this.id = id;
    this.group = group;
    this.api = api;
    this.peers = peers;
    this.links = links;
    this.p2pAddress = p2pAddress;
    this.admin = admin;
  }

  /**
   * Binds the configured addresses, starts serving and joins the overlay through the configured
   * bootstrappers; returns once listening (joining goes on in the background).
   *
   * @throws IOException when an address cannot be resolved or bound, with a message naming it
   */
  public static GossipNode start(GossipConfig config, Hostkey hostkey) throws IOException {
    return start(config, hostkey, NodeOptions.defaults());
  }

  /** As {@link #start(GossipConfig, Hostkey)}, with settings the config file does not carry. */
  public static GossipNode start(GossipConfig config, Hostkey hostkey, NodeOptions options) throws IOException {
    if (hostkey.keyPair() == null) throw new IllegalArgumentException("a node needs its hostkey's key pair");
    InetSocketAddress apiBind = resolve("api_address", config.apiAddress());
    InetSocketAddress p2pBind = resolve("p2p_address", config.p2pAddress());
    Transport transport = Transport.best();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("gossip-" + hostkey.id().shortHex()), transport.ioHandlerFactory());
    EventLoop loop = group.next();
    try {
      NodeClock clock = NodeClock.monotonic();
      SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
      PeerService peers = new PeerService(loop, clock, Reputation.withDefaults(), bootstrapAddresses(config));
      ApiServer api = ApiServer.bind(loop, transport.serverChannel(), apiBind, ApiSettings.of(config), peers::spread);
      int difficulty = config.powDifficulty();
      IdentityPolicy powPolicy = (peer, nonce) -> ProofOfWork.verify(peer, nonce, difficulty)
          ? null
          : new IdentityPolicy.Refusal(ControlMessage.Reason.PROOF_OF_WORK,
              "identity needs a proof of work of " + difficulty + " leading zero bits");
      LinkManager links = new LinkManager(hostkey.keyPair(), hostkey.pow().nonce(), options.links(), loop, transport,
          peers.banPolicy(powPolicy), peers);
      InetSocketAddress p2pBound;
      try {
        p2pBound = links.listen(p2pBind, config.p2pAddress().host()).sync().getNow();
      } catch (Exception e) {
        api.close();
        throw new IOException("p2p_address " + config.p2pAddress() + ": cannot listen: " + e.getMessage(), e);
      }
      Peer self = new Peer(hostkey.id(), links.advertised());
      MembershipConfig membershipConfig = options.membership().apply(
          MembershipConfig.withDegree(config.degree()).withMaxPeersPerSubnet(config.maxPeersPerSubnet()));
      HyParView membership = new HyParView(self, membershipConfig, random.split(), peers);
      BroadcastConfig broadcastConfig = options.broadcast().apply(BroadcastConfig.defaults().withCacheSize(config.cacheSize()));
      Plumtree broadcast = new Plumtree(hostkey.id(), broadcastConfig, random.split(), peers);
      boolean powReady = ProofOfWork.verify(hostkey.id(), hostkey.pow().nonce(), difficulty);
      loop.submit(() -> {
        peers.attach(api.hub(), links, membership, broadcast);
        if (powReady) {
          peers.start();
        } else {
          links.pauseAccepting();
        }
      }).syncUninterruptibly();
      if (!powReady) solveThenJoin(config, hostkey, loop, links, peers);
      AdminServer admin = null;
      if (config.adminAddress().isPresent()) {
        NodeStatusSource source = new NodeStatusSource(hostkey.id(), api, peers, links, broadcast);
        admin = new AdminServer(source::status, source::metrics);
        InetSocketAddress adminBound = admin.bind(loop, transport.serverChannel(), resolve("admin_address", config.adminAddress().get()));
        log.info("admin endpoint on http://{}/status", format(adminBound));
      }
      log.info("gossip node {} serving the API on {}, peers on {} ({})",
          hostkey.id().hex(), format(api.localAddress()), format(p2pBound), transport.name());
      return new GossipNode(hostkey.id(), group, api, peers, links, p2pBound, admin);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      throw e;
    } catch (InterruptedException e) {
      group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting", e);
    }
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
    return api.loop();
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

  /** The passive view now, read on the node's loop. */
  public List<Peer> passiveView() {
    return loop().submit(peers::passiveView).syncUninterruptibly().getNow();
  }

  /**
   * Stops at once without telling anyone, as a crash or a pulled cable would: for tests of healing.
   * The peers notice by their links closing (or, across a real network, by missed keepalives).
   */
  void crash() {
    if (!closed.compareAndSet(false, true)) return;
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(2 * CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Leaves the overlay (neighbours are told at once), closes every connection and stops the event
   * loop, waiting at most a few seconds for each; a second call does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (admin != null) admin.close();
    var left = loop().submit(peers::leave).syncUninterruptibly().getNow();
    if (!left.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip node {}: peer links did not close within {} s", id.shortHex(), CLOSE_WAIT_SECONDS);
    }
    if (!api.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip node {}: API connections did not close within {} s", id.shortHex(), CLOSE_WAIT_SECONDS);
    }
    boolean stopped =
        group
            .shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
            .awaitUninterruptibly(2 * CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    if (!stopped) {
      log.warn("gossip node {}: event loop did not stop within {} s", id.shortHex(), 2 * CLOSE_WAIT_SECONDS);
    }
    log.info("gossip node {} stopped", id.shortHex());
  }
}
