package voidphone.gossip.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.Identity;
import voidphone.gossip.identity.ProofOfWork;
import voidphone.gossip.core.PeerAddress;

/**
 * All peer links of one node: listens, dials, authenticates, keeps at most one link per peer and
 * tells a {@link LinkListener} what happens. Every method must be called on the node's event loop,
 * where all link channels run too.
 *
 * <p>Simultaneous dials: when two links to the same peer complete, both ends send on the one dialled
 * by the smaller identity, so they agree without talking. The other becomes a spare: frames still
 * arriving on it are delivered, nobody sends keepalives on it, so it dies of idleness at both ends
 * once nothing can be in flight on it; closing it outright would lose frames already sent.
 */
public final class LinkManager {
  private static final Logger log = LoggerFactory.getLogger("link");
  static final int CONTROL = 0;

  final NodeId self;
  final LinkSettings settings;
  final IdentityPolicy policy;
  private final EventLoop loop;
  private final Transport transport;
  private final LinkListener listener;
  private final PeerTls tls;
  private long powNonce;
  private final ChannelGroup channels;
  private final Map<NodeId, LinkHandler> links = new HashMap<>();
  /** Second links to a linked peer, from simultaneous dials; see the class comment. */
  private final Map<NodeId, LinkHandler> spares = new HashMap<>();
  private final Map<InetAddress, Integer> handshakesPerIp = new HashMap<>();
  /**
   * Accepted connections whose handshake has not completed, oldest first. A stranger's silent or
   * half-open connection costs it nothing but a socket, so these never hold the link slots: beyond
   * {@link LinkSettings#maxPendingHandshakes()}, or when every slot is taken, the oldest gives way.
   * An honest handshake takes milliseconds, so the oldest is almost always the silent one.
   */
  private final LinkedHashSet<LinkHandler> pendingInbound = new LinkedHashSet<>();
  private PeerAddress advertised;
  private Channel server;
  private boolean closing;
  private long violations;
  private long refusals;
  private LongConsumer roundTrips = nanos -> {};
  /** The reason each recently refused peer was last refused for (at most 1,024, oldest forgotten). */
  private final Map<NodeId, ControlMessage.Reason> lastRefusal = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<NodeId, ControlMessage.Reason> eldest) {
      return size() > 1024;
    }
  };

  public LinkManager(
      KeyPair keys,
      long powNonce,
      LinkSettings settings,
      EventLoop loop,
      Transport transport,
      IdentityPolicy policy,
      LinkListener listener) throws SSLException {
    this.self = Identity.of(keys.getPublic());
    this.powNonce = powNonce;
    this.settings = settings;
    this.loop = loop;
    this.transport = transport;
    this.policy = policy;
    this.listener = listener;
    this.tls = new PeerTls(keys, Instant.now());
    this.channels = new DefaultChannelGroup("links", loop);
  }

  public NodeId self() {
    return self;
  }

  /**
   * Starts accepting links on {@code bind}; {@code advertisedHost} is the host peers are told to
   * dial (the configured {@code p2p_address} host). Completes with the bound address.
   */
  public Future<InetSocketAddress> listen(InetSocketAddress bind, String advertisedHost) {
    var promise = loop.<InetSocketAddress>newPromise();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loop)
            .channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .childHandler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                acceptInbound(ch);
              }
            });
    b.bind(bind).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        promise.setFailure(f.cause());
        return;
      }
      server = f.channel();
      InetSocketAddress bound = (InetSocketAddress) server.localAddress();
      advertised = new PeerAddress(advertisedHost, bound.getPort());
      promise.setSuccess(bound);
    });
    return promise;
  }

  /**
   * Holds new connections in the kernel's backlog until {@link #resumeAccepting}: used while this
   * node's proof of work is still being solved, since a HELLO without it would be refused.
   */
  public void pauseAccepting() {
    if (server != null) server.config().setAutoRead(false);
  }

  /** The TLS engine the links run on ("TLS BoringSSL" or "TLS JDK"), for the startup log line. */
  public static String tlsEngine() {
    return PeerTls.engineName();
  }

  /** Accepts again, with {@code powNonce} in every HELLO from now on. */
  public void resumeAccepting(long powNonce) {
    this.powNonce = powNonce;
    if (server != null) server.config().setAutoRead(true);
  }

  public PeerAddress advertised() {
    return advertised;
  }

  /**
   * Opens a link to {@code address}. When {@code expected} is given the peer must prove that
   * identity. Does nothing when a link to {@code expected} exists already. The outcome arrives as
   * {@link LinkListener#linkUp}, {@link LinkListener#alreadyLinked} (the peer turned out to be
   * linked already: always possible when {@code expected} is null) or {@link LinkListener#dialFailed}.
   */
  public void dial(PeerAddress address, NodeId expected) {
    if (expected != null && (links.containsKey(expected) || expected.equals(self))) return;
    if (!closing && channels.size() >= settings.maxLinks()) dropOldestPendingHandshake();
    if (closing || channels.size() >= settings.maxLinks()) {
      loop.execute(() -> listener.dialFailed(
          address, expected, DialFailure.LINK_LIMIT, "link limit " + settings.maxLinks() + " reached"));
      return;
    }
    LinkHandler handler = new LinkHandler(this, true, address, expected);
    new Bootstrap()
        .group(loop)
        .channel(transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.handshakeTimeout().toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            pipeline(ch, tls.client, handler, address);
          }
        })
        .connect(address.host(), address.port())
        .addListener((ChannelFuture f) -> {
          if (!f.isSuccess()) {
            log.info("dial {} failed: {}", address, f.cause().getMessage());
            listener.dialFailed(address, expected, DialFailure.CONNECT, "connect failed: " + f.cause().getMessage());
          }
        });
  }

  private void acceptInbound(SocketChannel ch) {
    InetAddress ip = ch.remoteAddress().getAddress();
    int handshaking = handshakesPerIp.getOrDefault(ip, 0);
    if (!ip.isLoopbackAddress() && handshaking >= settings.maxHandshakesPerIp()) {
      log.warn("refused link from {}: {} handshakes from that address already", ch.remoteAddress(), handshaking);
      ch.close();
      return;
    }
    if (!closing && (channels.size() >= settings.maxLinks() || pendingInbound.size() >= settings.maxPendingHandshakes())) {
      dropOldestPendingHandshake();
    }
    if (closing || channels.size() >= settings.maxLinks()) {
      log.warn("refused link from {}: link limit {} reached", ch.remoteAddress(), settings.maxLinks());
      ch.close();
      return;
    }
    handshakesPerIp.merge(ip, 1, Integer::sum);
    channels.add(ch);
    LinkHandler handler = new LinkHandler(this, false, null, null);
    pendingInbound.add(handler);
    pipeline(ch, tls.server, handler, null);
  }

  /** Closes the accepted connection that has waited longest for its handshake, if any. */
  private void dropOldestPendingHandshake() {
    if (pendingInbound.isEmpty()) return;
    LinkHandler handler = pendingInbound.getFirst();
    // the slot is what the caller needs, now: a TLS close may wait for its close_notify to be sent
    releaseHandshakeSlot(handler);
    channels.remove(handler.channel());
    log.debug("dropping the handshake from {}: it has waited longest, and a newer connection needs its slot",
        handler.remote());
    handler.close("handshake not completed while newer connections waited");
  }

  private void pipeline(SocketChannel ch, SslContext ssl, LinkHandler handler, PeerAddress dialled) {
    ChannelPipeline p = ch.pipeline();
    p.addLast("tls", dialled != null
        ? ssl.newHandler(ch.alloc(), dialled.host(), dialled.port(), HandshakeExecutor.shared())
        : ssl.newHandler(ch.alloc(), HandshakeExecutor.shared()));
    // Length prefix is checked against the limit before any frame buffer is allocated.
    p.addLast("frames", new LengthFieldBasedFrameDecoder(settings.maxFrameBytes() + 4, 0, 4, 0, 4, true));
    // reader idle only: the keepalive (writer side) is LinkHandler's own timer, see lastWriteNanos
    p.addLast("idle", new IdleStateHandler(settings.deadAfter().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    p.addLast("link", handler);
  }

  private WriteBufferWaterMark waterMark() {
    return new WriteBufferWaterMark(settings.sendBufferBytes() / 2, settings.sendBufferBytes());
  }

  ControlMessage hello() {
    return new ControlMessage.Hello(LinkSettings.PROTOCOL_VERSION, LinkSettings.PROTOCOL_VERSION, powNonce, advertised);
  }

  void onEstablished(LinkHandler handler) {
    if (!handler.outbound) releaseHandshakeSlot(handler);
    lastRefusal.remove(handler.peer);
    LinkHandler existing = links.get(handler.peer);
    if (existing != null) {
      LinkHandler keep = preferred(existing, handler);
      LinkHandler spare = keep == existing ? handler : existing;
      LinkHandler older = spares.put(handler.peer, spare);
      if (older != null) older.close("third link to " + handler.peer.shortHex());
      links.put(handler.peer, keep);
      spare.spare = true;
      log.debug("second link to {}; sending on the one dialled by the smaller identity", handler.peer.shortHex());
      // A dial that found its peer linked must still end: whoever dialled waits for an outcome
      // (a bootstrap dial does not know whom it reaches, so it cannot check first).
      if (handler.outbound) listener.alreadyLinked(handler.dialled, keep.info);
      return;
    }
    links.put(handler.peer, handler);
    log.info("link up {} {} ({})", handler.peer.hex(), handler.info.listenAddress(), handler.outbound ? "dialled" : "accepted");
    listener.linkUp(handler.info);
  }

  /** Both ends keep the link dialled by the smaller identity; of two dialled by the same side, the older. */
  private LinkHandler preferred(LinkHandler existing, LinkHandler fresh) {
    if (existing.outbound == fresh.outbound) return existing;
    boolean selfSmaller = self.compareTo(fresh.peer) < 0;
    // outbound == dialled by self
    return (existing.outbound == selfSmaller) ? existing : fresh;
  }

  void onMessage(LinkHandler handler, int channel, ByteBuf body) {
    // Frames on a spare come from the same proven peer and were sent before it settled on the
    // preferred link: deliver them, under the preferred link's info.
    LinkHandler current = links.get(handler.peer);
    if (current != null) listener.message(current.info, channel, body);
  }

  void onRefused(LinkHandler handler, IdentityPolicy.Refusal refusal) {
    refusals++;
    // once per peer and reason: a banned or under-proved peer redialling every few seconds is one
    // fact for the operator, not one line per attempt; it is logged again after a link with it was up
    if (lastRefusal.put(handler.peer, refusal.reason()) != refusal.reason()) {
      log.warn("refused {} at {}: {} ({}); its further attempts are logged at debug level", handler.peer.hex(),
          handler.remote(), refusal.reason(), refusal.detail());
    } else {
      log.debug("refused {} at {} again: {} ({})", handler.peer.hex(), handler.remote(), refusal.reason(), refusal.detail());
    }
  }

  /**
   * Where the round trips of keepalives go: a PING is sent on a link quiet for a keepalive interval,
   * and its PONG measures the link's round trip (in nanoseconds, TLS and both loops included). A busy
   * link sends no PINGs, so its round trip goes unmeasured.
   */
  public void onRoundTrip(LongConsumer nanos) {
    this.roundTrips = nanos;
  }

  void roundTrip(long nanos) {
    roundTrips.accept(nanos);
  }

  /**
   * Bytes queued for the links and not yet written to the kernel: in their sockets' outbound
   * buffers, and frames of this turn not yet handed to them.
   */
  public long pendingSendBytes() {
    long n = 0;
    for (LinkHandler link : links.values()) {
      n += link.batchedBytes();
      var buffer = link.channel().unsafe().outboundBuffer();
      if (buffer != null) n += buffer.totalPendingWriteBytes();
    }
    return n;
  }

  /** Leading zero bits of this node's own proof of work, for a refusal's explanation. */
  public int ownProofBits() {
    return ProofOfWork.leadingZeroBits(self, powNonce);
  }

  void onViolation(LinkHandler handler, String what) {
    violations++;
    // logged before the listener hears of it, so that the ban it may lead to is logged after its cause
    log.warn("protocol violation by {} at {}: {}", handler.peer != null ? handler.peer.hex() : "(unauthenticated)",
        handler.remote(), what);
    if (handler.peer != null) listener.violation(handler.peer, what);
  }

  void onClosed(LinkHandler handler, String reason) {
    if (!handler.outbound && !handler.wasUp) releaseHandshakeSlot(handler);
    NodeId peer = handler.peer;
    if (peer != null && spares.get(peer) == handler) {
      spares.remove(peer);
      log.debug("spare link to {} closed: {}", peer.shortHex(), reason);
    } else if (peer != null && links.get(peer) == handler) {
      LinkHandler spare = spares.remove(peer);
      if (spare != null) {
        spare.spare = false; // the peer sees the same close and promotes the same spare
        links.put(peer, spare);
        log.debug("link to {} closed ({}); carrying on over the spare", peer.shortHex(), reason);
        return;
      }
      links.remove(peer);
      log.info("link down {} {}: {}", peer.hex(), handler.info.listenAddress(), reason);
      listener.linkDown(handler.info, reason);
    } else if (handler.outbound && !handler.wasUp) {
      // also when the peer is linked meanwhile: the dial still needs its outcome
      log.info("dial {} failed: {}", handler.dialled, reason);
      listener.dialFailed(handler.dialled, handler.expected, handler.failure(), reason);
    } else if (peer != null && links.containsKey(peer)) {
      log.debug("extra link to {} closed: {}", peer.shortHex(), reason);
    } else {
      log.info("link from {} dropped before it was up: {}", remoteOf(handler), reason);
    }
  }

  private static Object remoteOf(LinkHandler handler) {
    try {
      return handler.remote();
    } catch (RuntimeException e) {
      return "(unknown)";
    }
  }

  /** Gives back an accepted connection's handshake slot, once: it completed, closed or gave way. */
  private void releaseHandshakeSlot(LinkHandler handler) {
    if (!pendingInbound.remove(handler)) return; // given back already
    InetAddress ip = handler.remote().getAddress();
    handshakesPerIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Sends one frame on {@code channel} to {@code peer}; the body is released. Returns false when it
   * was dropped: no link, or the peer's send queue is full.
   */
  public boolean send(NodeId peer, int channel, ByteBuf body) {
    if (channel <= CONTROL || channel > 255) throw new IllegalArgumentException("channel " + channel);
    LinkHandler h = links.get(peer);
    if (h == null) {
      body.release();
      return false;
    }
    return h.write(channel, body);
  }

  /** Closes the link to {@code peer}, if any; {@link LinkListener#linkDown} follows. */
  public void close(NodeId peer, String reason) {
    LinkHandler spare = spares.remove(peer);
    if (spare != null) spare.close(reason);
    LinkHandler h = links.get(peer);
    if (h != null) h.close(reason);
  }

  public boolean isLinked(NodeId peer) {
    return links.containsKey(peer);
  }

  public List<LinkInfo> links() {
    List<LinkInfo> out = new ArrayList<>(links.size());
    for (LinkHandler h : links.values()) out.add(h.info);
    return out;
  }

  /** Protocol violations seen on any link since start. */
  /**
   * Reads nothing more from {@code peer}'s link for {@code millis} (its frames already decoded are
   * still delivered): the kernel's receive buffer fills, and TCP slows the sender down.
   */
  public void pauseReading(NodeId peer, long millis) {
    LinkHandler h = links.get(peer);
    if (h == null) return;
    Channel ch = h.channel();
    ch.config().setAutoRead(false);
    loop.schedule(() -> {
      if (ch.isActive()) ch.config().setAutoRead(true);
    }, millis, TimeUnit.MILLISECONDS);
  }

  /** Accepted connections still in their handshake. */
  public int pendingHandshakes() {
    return pendingInbound.size();
  }

  public long violations() {
    return violations;
  }

  /** Peers refused at the handshake (proof of work, ban, version) since start. */
  public long refusals() {
    return refusals;
  }

  /** Stops accepting, closes every link; completes when all channels are closed. */
  public Future<?> shutdown() {
    closing = true;
    if (server != null) server.close();
    return channels.close();
  }
}
