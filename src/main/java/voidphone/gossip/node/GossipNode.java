package voidphone.gossip.node;

import java.net.InetSocketAddress;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.identity.Hostkey;

/**
 * One running gossip peer: its API server and (later) its peer links, all driven by one event-loop
 * thread that owns the node's state. {@link #close()} shuts it down gracefully.
 */
public final class GossipNode implements AutoCloseable {

  private GossipNode() {}

  /** Binds the configured addresses and starts serving; returns once listening. */
  public static GossipNode start(GossipConfig config, Hostkey hostkey) throws java.io.IOException {
    throw new UnsupportedOperationException("filled in by the API work");
  }

  /** The bound API address (the real port when the config said 0). */
  public InetSocketAddress apiAddress() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
