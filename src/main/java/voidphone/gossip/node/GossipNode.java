package voidphone.gossip.node;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.api.ApiHub;
import voidphone.gossip.api.ApiServer;
import voidphone.gossip.api.ApiSettings;
import voidphone.gossip.api.Spreader;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.Hostkey;
import voidphone.gossip.link.Transport;

/**
 * One running gossip peer: its API server and (later) its peer links, all driven by one event-loop
 * thread that owns the node's state, so nothing in the node needs a lock. {@link #close()} shuts it
 * down gracefully.
 */
public final class GossipNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GossipNode.class);
  /** How long {@link #close()} waits for connections to close and the loop to stop. */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final NodeId id;
  private final EventLoopGroup group;
  private final ApiServer api;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GossipNode(NodeId id, EventLoopGroup group, ApiServer api) {
    this.id = id;
    this.group = group;
    this.api = api;
  }

  /**
   * Binds the configured addresses and starts serving; returns once listening.
   *
   * @throws IOException when an address cannot be resolved or bound, with a message naming it
   */
  public static GossipNode start(GossipConfig config, Hostkey hostkey) throws IOException {
    InetSocketAddress apiAddress = resolve("api_address", config.apiAddress());
    Transport transport = Transport.best();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("gossip-" + hostkey.id().shortHex()), transport.ioHandlerFactory());
    EventLoop loop = group.next();
    ApiServer api;
    try {
      api =
          ApiServer.bind(
              loop, transport.serverChannel(), apiAddress, ApiSettings.of(config), Spreader.LONE_NODE);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      throw e;
    }
    log.info(
        "gossip node {} serving the API on {} ({})",
        hostkey.id().hex(),
        formatAddress(api.localAddress()),
        transport.name());
    return new GossipNode(hostkey.id(), group, api);
  }

  private static InetSocketAddress resolve(String key, HostPort hostPort) throws IOException {
    InetSocketAddress address = new InetSocketAddress(hostPort.host(), hostPort.port());
    if (address.isUnresolved()) {
      throw new IOException(key + " " + hostPort + ": cannot resolve host " + hostPort.host());
    }
    return address;
  }

  private static String formatAddress(InetSocketAddress a) {
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

  /** The hub that later layers plug into; use it only on {@link #loop()}. */
  ApiHub apiHub() {
    return api.hub();
  }

  /** The one thread that owns this node's state. */
  EventLoop loop() {
    return api.loop();
  }

  /**
   * Closes every connection and stops the event loop, waiting at most a few seconds for each; a
   * second call does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
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
