package voidphone.gossip.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.config.IoErrors;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;

/** {@code gossip run -c FILE}: one peer, until SIGINT or SIGTERM. */
@Command(name = "run", description = "Run a gossip peer until SIGINT (Ctrl-C) or SIGTERM, then stop it cleanly.")
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Mixin HelpOption help;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "The peer's INI file (see docs/CONFIG.md).")
  Path config;

  @Option(names = "--admin-peer", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "Another node's admin_address, whose view the live view's /graph adds to this node's; "
          + "repeatable (docs/LIVE-VIEW.md).")
  List<HostPort> adminPeers = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    NodeSetup.Prepared setup = NodeSetup.prepare(config);
    GossipNode node;
    try {
      node = GossipNode.start(setup.config(), setup.hostkey(), NodeOptions.production().withAdminPeers(adminPeers));
    } catch (IOException e) {
      throw CliFailure.runtime(config + ": cannot start: " + IoErrors.describe(e));
    }
    StopOnSignal.closeOnSignal(node);
    log.info("identity {} running: api {}, p2p {}; stop with Ctrl-C or SIGTERM",
        setup.hostkey().id().hex(), hostPort(node.apiAddress()), setup.config().p2pAddress());
    StopOnSignal.blockForever();
    return Main.EXIT_OK; // not reached: the shutdown hook ends the process
  }

  /** {@code 127.0.0.1:7001} or {@code [::1]:7001}: what an operator would write in the config. */
  private static HostPort hostPort(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return new HostPort(host, address.getPort());
  }
}
