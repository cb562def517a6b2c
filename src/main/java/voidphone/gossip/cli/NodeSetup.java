package voidphone.gossip.cli;

import java.nio.file.Path;
import voidphone.gossip.config.ConfigException;
import voidphone.gossip.config.ConfigLoader;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.identity.Hostkey;
import voidphone.gossip.identity.HostkeyException;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.identity.PowFile;
import voidphone.gossip.identity.PowStamp;

/**
 * Everything {@code gossip run} needs before a node can start: the config, its hostkey and the
 * hostkey's stored proof of work, if any. Any problem the operator must fix becomes a one-line {@link CliFailure}
 * with exit status 2.
 */
final class NodeSetup {
  record Prepared(GossipConfig config, Hostkey hostkey) {}

  private NodeSetup() {}

  static Prepared prepare(Path configFile) {
    GossipConfig config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      throw CliFailure.config(e.getMessage());
    }
    Hostkey hostkey;
    try {
      hostkey = HostkeyFile.load(config.hostkey());
    } catch (HostkeyException e) {
      throw CliFailure.config(config.source() + ": hostkey: " + e.getMessage());
    }
    // A missing or too weak proof of work is solved by the node in the background, so that the API
    // is up at once even on the first start with a new key.
    return new Prepared(config, hostkey.withPow(PowFile.stored(config.hostkey(), hostkey.id()).orElse(PowStamp.NONE)));
  }
}
