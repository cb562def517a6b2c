package voidphone.gossip.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.config.IoErrors;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;

/**
 * {@code gossip testnet}: a whole network on this machine's loopback, for trying the module out.
 * Each node gets a directory with its hostkey and an ordinary config file (so any of them can also be
 * run alone with {@code gossip run -c DIR/node-I/gossip.ini}); node 0 is everyone's bootstrapper.
 *
 * <p>Each node runs on an event-loop thread of its own named after it ({@code n5}), as a production
 * node does, so that every line of the shared log says which node wrote it ({@code [n5]}). The
 * network benchmark shares loops instead, for its CPU figures (docs/ARCHITECTURE.md, "Threads").
 */
@Command(name = "testnet",
    header = "Run N gossip nodes on loopback, bootstrapped from the first, until Ctrl-C.",
    description = "Creates DIR/node-I/{hostkey.pem,gossip.ini} for each node the first time (keys are "
        + "kept, so later starts are instant), starts every node in this process and prints each node's "
        + "identity and its p2p, API and admin addresses once all have started; then only warnings are logged "
        + "(--verbose: everything). Ports: p2p BASE+I, API BASE+100+I, admin BASE+200+I. A node forwards an item "
        + "only when a local module validates it: --demo gives every node one.")
final class TestnetCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(TestnetCommand.class);
  static final int MAX_NODES = 100;

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = {"-n", "--nodes"}, paramLabel = "N", description = "Number of nodes (1..100, default ${DEFAULT-VALUE}).")
  int nodes = 8;

  @Option(names = {"-d", "--dir"}, paramLabel = "DIR", description = "Where keys and configs live (default ${DEFAULT-VALUE}).")
  Path dir = Path.of("testnet");

  @Option(names = "--base-port", paramLabel = "BASE", description = "First p2p port (default ${DEFAULT-VALUE}).")
  int basePort = 16000;

  @Option(names = "--degree", paramLabel = "D", description = "degree of every node (default ${DEFAULT-VALUE}).")
  int degree = 30;

  @Option(names = "--pow-difficulty", paramLabel = "BITS",
      description = "pow_difficulty of the testnet's nodes (default ${DEFAULT-VALUE}: quick to solve for N new keys).")
  int powDifficulty = 16;

  @Option(names = "--demo", paramLabel = "TYPE", arity = "0..1", fallbackValue = "" + DEMO_TYPE,
      description = "Give every node a module that subscribes to data type TYPE (default " + DEMO_TYPE + "), logs each item "
          + "it is notified of under the node's name and answers VALID, so an announced item visibly reaches every node.")
  Integer demoType;

  @Option(names = "--host", paramLabel = "ADDR",
      description = "Address the nodes' p2p sockets listen on and advertise (default ${DEFAULT-VALUE}); this machine's "
          + "LAN address lets nodes on other machines join. API and admin stay on 127.0.0.1.")
  String host = "127.0.0.1";

  @Option(names = "--verbose", description = "Keep every node's INFO log lines (default: only warnings and errors).")
  boolean verbose;

  static final int DEMO_TYPE = 7;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new ParameterException(spec.commandLine(), "--nodes " + nodes + " is outside 1.." + MAX_NODES);
    }
    if (basePort < 1 || basePort + 200 + nodes > 65535) {
      throw new ParameterException(spec.commandLine(), "--base-port " + basePort + " leaves no room for " + nodes + " nodes");
    }
    if (demoType != null && (demoType < 0 || demoType > 0xFFFF)) {
      throw new ParameterException(spec.commandLine(), "--demo " + demoType + " is not a data type (0..65535)");
    }
    List<Path> configs = prepare();
    if (!verbose && System.getenv("GOSSIP_LOG_LEVEL") == null) {
      quietNodes();
    }
    List<AutoCloseable> running = new ArrayList<>();
    List<EventLoopGroup> loops = new ArrayList<>();
    for (int i = 0; i < nodes; i++) loops.add(GossipNode.newNamedEventLoop(name(i)));
    // every node's live view combines all the others' (docs/LIVE-VIEW.md)
    List<HostPort> admins = new ArrayList<>();
    for (int i = 0; i < nodes; i++) admins.add(new HostPort("127.0.0.1", adminPort(i)));
    NodeOptions options = NodeOptions.production().withAdminPeers(admins);
    StopOnSignal.closeOnSignal(() -> closeAll(running, loops));
    List<GossipNode> started = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      NodeSetup.Prepared setup = NodeSetup.prepare(configs.get(i));
      GossipNode node;
      try {
        node = GossipNode.start(setup.config(), setup.hostkey(), options.withEventLoops(loops.get(i)));
      } catch (BindException e) {
        closeAll(running, loops);
        throw CliFailure.runtime(configs.get(i) + ": cannot start: " + e.getMessage() + "; choose free ports with "
            + "--base-port (now " + basePort + ": p2p " + p2pPort(0) + ".., API " + apiPort(0) + ".., admin " + adminPort(0) + "..)");
      } catch (IOException e) {
        closeAll(running, loops);
        throw CliFailure.runtime(configs.get(i) + ": cannot start: " + IoErrors.describe(e));
      }
      synchronized (running) {
        running.add(node);
      }
      started.add(node);
    }
    if (demoType != null) {
      for (int i = 0; i < nodes; i++) {
        DemoValidator validator = DemoValidator.attach(name(i), new HostPort("127.0.0.1", apiPort(i)), demoType);
        synchronized (running) {
          running.add(0, validator); // closed before the nodes, so none logs its node going away
        }
      }
    }
    // the table comes after every node has started, so no start-up line is mixed into it
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-5s %-64s  %-21s  %-15s  %s%n", "node", "identity", "p2p", "api", "admin");
    for (int i = 0; i < nodes; i++) {
      out.printf("%-5s %-64s  %-21s  %-15s  %s%n", name(i), started.get(i).id().hex(), host + ":" + p2pPort(i),
          "127.0.0.1:" + apiPort(i), "http://127.0.0.1:" + adminPort(i) + "/status");
    }
    int type = demoType != null ? demoType : DEMO_TYPE;
    out.printf("%d nodes running, each on a thread named after it (log lines say [n0], [n1], ...)%s.%n", nodes,
        demoType != null ? ", each with a demo module validating data type " + type : "");
    if (demoType != null) {
      out.printf("try:  gossip announce --api 127.0.0.1:%d --type %d hello   (every other node logs the item as it arrives)%n",
          apiPort(0), type);
    } else {
      out.printf("try:  gossip subscribe --api 127.0.0.1:%d --type %d   and   gossip announce --api 127.0.0.1:%d --type %d hello%n"
          + "(a node forwards an item only when a local module validates it: --demo gives every node one)%n",
          apiPort(nodes - 1), type, apiPort(0), type);
    }
    out.printf("live view of the whole testnet: http://127.0.0.1:%d/%n", adminPort(0));
    out.println("Ctrl-C stops them all.");
    out.flush();
    StopOnSignal.blockForever();
    return Main.EXIT_OK;
  }

  /** How the table and the demo modules' log lines name node {@code i}. */
  static String name(int i) {
    return "n" + i;
  }

  /**
   * Up to 100 nodes log a few INFO lines each while starting, one per link and one per API connection: at INFO the
   * table and the demo's lines would drown. Warnings and errors still show; {@code --verbose} or
   * {@code GOSSIP_LOG_LEVEL} keep everything.
   */
  private static void quietNodes() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN); // nodes also log as "link", "peers"
      context.getLogger(TestnetCommand.class).setLevel(Level.INFO);
      context.getLogger(DemoValidator.class).setLevel(Level.INFO);
    }
  }

  private int p2pPort(int i) {
    return basePort + i;
  }

  private int apiPort(int i) {
    return basePort + 100 + i;
  }

  private int adminPort(int i) {
    return basePort + 200 + i;
  }

  /** Writes what is missing: keys (in parallel, RSA-4096 is slow) and configs (always rewritten). */
  private List<Path> prepare() throws Exception {
    List<Path> configs = new ArrayList<>();
    List<Path> missingKeys = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Path nodeDir = dir.resolve("node-" + i);
      Files.createDirectories(nodeDir);
      Path key = nodeDir.resolve("hostkey.pem");
      if (!Files.exists(key)) missingKeys.add(key);
      Path config = nodeDir.resolve("gossip.ini");
      Files.writeString(config, config(i));
      configs.add(config);
    }
    if (!missingKeys.isEmpty()) {
      log.info("generating {} RSA-4096 hostkeys in {} (once; they are kept)", missingKeys.size(), dir);
      ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
      try {
        List<Future<?>> jobs = new ArrayList<>();
        for (Path key : missingKeys) {
          jobs.add(pool.submit(() -> {
            HostkeyFile.write(key, HostkeyFile.generate());
            return null;
          }));
        }
        for (Future<?> job : jobs) job.get();
      } finally {
        pool.shutdown();
      }
    }
    return configs;
  }

  private String config(int i) {
    StringBuilder b = new StringBuilder();
    b.append("; written by 'gossip testnet'; rewritten at every start\n");
    b.append("hostkey = hostkey.pem\n\n[gossip]\n");
    b.append("p2p_address = ").append(hostPort(p2pPort(i))).append('\n');
    b.append("api_address = 127.0.0.1:").append(apiPort(i)).append('\n');
    b.append("admin_address = 127.0.0.1:").append(adminPort(i)).append('\n');
    b.append("degree = ").append(degree).append('\n');
    b.append("pow_difficulty = ").append(powDifficulty).append('\n');
    if (i > 0) b.append("bootstrapper = ").append(hostPort(p2pPort(0))).append('\n');
    return b.toString();
  }

  /** {@code host:port} as a config file wants it: an IPv6 address in brackets. */
  private String hostPort(int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Closes the demo modules, every node, then the nodes' loops: a node given its loop closes its
   * part of it, not the loop.
   */
  private static void closeAll(List<AutoCloseable> running, List<EventLoopGroup> loops) {
    List<AutoCloseable> copy;
    synchronized (running) {
      copy = new ArrayList<>(running);
    }
    copy.stream().filter(c -> c instanceof DemoValidator).forEach(TestnetCommand::closeQuietly);
    copy.parallelStream().filter(c -> c instanceof GossipNode).forEach(TestnetCommand::closeQuietly);
    List<io.netty.util.concurrent.Future<?>> stopping = new ArrayList<>();
    for (EventLoopGroup loop : loops) stopping.add(loop.shutdownGracefully(0, 5, TimeUnit.SECONDS));
    for (io.netty.util.concurrent.Future<?> f : stopping) f.awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {}: {}", closeable, e.toString());
    }
  }
}
