package voidphone.gossip.bench;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;
import voidphone.gossip.node.TestModule;
import voidphone.gossip.node.TestNetwork;

/**
 * The network {@code ./bench net}, {@code ./bench compare} and {@code ./bench soak} measure: real nodes on loopback in
 * this JVM (TLS links, HyParView, Plumtree), sharing one event loop per core (at least two), as in
 * {@code gossip testnet}; each node has one module on its API that subscribes to {@link #DATA_TYPE}
 * and answers every NOTIFICATION with VALIDATION(valid), telling an {@link ItemTracker}, and one
 * module that announces. Started once the overlay is connected and every subscription arrived.
 */
final class BenchNetwork implements AutoCloseable {
  static final int DATA_TYPE = 4712;

  private final EventLoopGroup loops;
  private final TestNetwork net;
  private final List<GossipNode> nodes;
  private final List<TestModule> modules = new ArrayList<>();
  private final List<TestModule> announcers = new ArrayList<>();

  private BenchNetwork(EventLoopGroup loops, TestNetwork net) {
    this.loops = loops;
    this.net = net;
    this.nodes = net.alive();
  }

  /** Event-loop threads the nodes of one network share: one per core, at least two. */
  static int loopThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Starts {@code size} nodes of this degree with these options; each subscribed module tells
   * {@code tracker} of the items it is notified of; progress lines go to {@code log}.
   */
  static BenchNetwork start(String name, int size, int degree, NodeOptions options, ItemTracker tracker,
      java.io.PrintStream log) throws Exception {
    return start(name, size, degree, options, keys -> {}, tracker, log);
  }

  /** As {@link #start(String, int, int, NodeOptions, ItemTracker, java.io.PrintStream)}, with these config keys. */
  static BenchNetwork start(String name, int size, int degree, NodeOptions options,
      Consumer<GossipConfig.Builder> keys, ItemTracker tracker, java.io.PrintStream log) throws Exception {
    return start(name, size, degree, options, keys, (dataType, data, receivedNanos) -> {
      if (dataType == DATA_TYPE) tracker.received(ItemLoop.seqOf(data), receivedNanos);
    }, log);
  }

  /**
   * Starts {@code size} nodes of this degree with these options and config keys (as an operator's
   * file would set them), waits for their overlay, then connects the modules, whose notifications
   * go to {@code listener}; progress lines go to {@code log}.
   */
  static BenchNetwork start(String name, int size, int degree, NodeOptions options,
      Consumer<GossipConfig.Builder> keys, TestModule.Listener listener, java.io.PrintStream log) throws Exception {
    log.printf("%s: starting %d nodes ...%n", name, size);
    long started = System.nanoTime();
    EventLoopGroup loops = GossipNode.newEventLoops(loopThreads());
    TestNetwork net = null;
    BenchNetwork bench = null;
    try {
      net = TestNetwork.startAsConfigured(size, degree, options.withEventLoops(loops), keys);
      net.awaitOverlay(Duration.ofSeconds(120));
      log.printf("%s: overlay connected after %.1f s%n", name, (System.nanoTime() - started) / 1e9);
      bench = new BenchNetwork(loops, net);
      for (GossipNode node : bench.nodes) {
        bench.modules.add(TestModule.connect(node.apiAddress(), listener).subscribe(DATA_TYPE));
        bench.announcers.add(TestModule.connect(node)); // not subscribed: an announcer is never notified anyway
      }
      for (GossipNode node : bench.nodes) TestNetwork.awaitSubscribed(node, DATA_TYPE);
      return bench;
    } catch (Exception | Error e) {
      if (bench != null) {
        bench.close();
      } else {
        if (net != null) net.close();
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
      }
      throw e;
    }
  }

  TestNetwork net() {
    return net;
  }

  /** The nodes, in start order. */
  List<GossipNode> nodes() {
    return nodes;
  }

  /** One announcing connection per node, in the nodes' order. */
  List<TestModule> announcers() {
    return announcers;
  }

  int size() {
    return nodes.size();
  }

  /** ANNOUNCE of {@code data} (TTL unlimited) by the announcing module of node {@code origin}. */
  void announce(int origin, byte[] data) {
    announcers.get(origin).announce(0, DATA_TYPE, data);
  }

  /** The broadcast counters summed over the nodes. */
  Map<BroadcastCounter, Long> counters() {
    return net.broadcastTotals();
  }

  /** The ports the nodes listen on for peers: every peer link has one of them at one end. */
  Set<Integer> peerPorts() {
    Set<Integer> ports = new TreeSet<>();
    for (GossipNode node : nodes) ports.add(node.p2pAddress().getPort());
    return ports;
  }

  /** The active views' sizes, for the report. */
  String views() {
    Map<NodeId, Set<NodeId>> views = net.activeViews();
    var sizes = views.values().stream().mapToInt(Set::size).summaryStatistics();
    return String.format("active view min %d / mean %.1f / max %d", sizes.getMin(), sizes.getAverage(), sizes.getMax());
  }

  @Override
  public void close() {
    modules.forEach(TestModule::close);
    announcers.forEach(TestModule::close);
    net.close(); // the network closes its nodes first: a node never stops a loop it shares
    loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
