package voidphone.gossip.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.link.TestKeys;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;

/**
 * One real node, alone, on loopback, whose API port can be kept across a restart: what a module
 * sees when its peer's process is restarted. No proof of work, a pooled test key.
 */
final class TestNode {
  private TestNode() {}

  /** A node whose API listens on {@code apiPort} (0: any free port). */
  static GossipNode start(Path dir, int apiPort) {
    GossipConfig config = GossipConfig.withDefaults(dir.resolve("hostkey.pem"),
        new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", apiPort)).with(k -> k.powDifficulty = 0);
    try {
      return GossipNode.start(config, HostkeyFile.fromKeyPair(TestKeys.get(0)), NodeOptions.fastTests());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static InetSocketAddress api(GossipNode node) {
    return new InetSocketAddress("127.0.0.1", node.apiAddress().getPort());
  }
}
