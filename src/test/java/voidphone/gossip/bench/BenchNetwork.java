package voidphone.gossip.bench;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;
import voidphone.gossip.node.TestModule;
import voidphone.gossip.node.TestNetwork;

/**
 * The network the benchmarks measure ({@code ./bench net}, {@code ./bench soak}): real nodes on
 * loopback in one JVM, sharing one event loop per core (at least two), as in {@code gossip
 * testnet}; once their overlay is connected, each node gets one validating module subscribed to
 * {@link #DATA_TYPE} (its NOTIFICATIONs go to a listener) and one announcer connection, not
 * subscribed (an announcer is never notified of its own items anyway).
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
   * Starts {@code size} nodes of this degree with these options and config keys, waits for their
   * overlay, then connects the modules; prints when the overlay was connected, under {@code name}.
   */
  static BenchNetwork start(String name, int size, int degree, NodeOptions options,
      Consumer<GossipConfig.Builder> keys, TestModule.Listener listener) throws Exception {
    System.out.printf("%s: starting %d nodes ...%n", name, size);
    long started = System.nanoTime();
    EventLoopGroup loops = GossipNode.newEventLoops(loopThreads());
    TestNetwork net = null;
    BenchNetwork b = null;
    try {
      net = TestNetwork.startAsConfigured(size, degree, options.withEventLoops(loops), keys);
      b = new BenchNetwork(loops, net);
      net.awaitOverlay(Duration.ofSeconds(120));
      System.out.printf("%s: overlay connected after %.1f s%n", name, (System.nanoTime() - started) / 1e9);
      for (GossipNode node : b.nodes) {
        b.modules.add(TestModule.connect(node.apiAddress(), listener).subscribe(DATA_TYPE));
        b.announcers.add(TestModule.connect(node));
      }
      for (GossipNode node : b.nodes) TestNetwork.awaitSubscribed(node, DATA_TYPE);
      return b;
    } catch (Exception | Error e) {
      if (b != null) {
        b.close();
      } else {
        if (net != null) net.close();
        shutdown(loops);
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

  @Override
  public void close() {
    modules.forEach(TestModule::close);
    announcers.forEach(TestModule::close);
    net.close(); // the network closes its nodes first: a node never stops a loop it shares
    shutdown(loops);
  }

  private static void shutdown(EventLoopGroup loops) {
    loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
