package voidphone.gossip.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.link.TestKeys;

/**
 * Real nodes on loopback (TLS and all) for end-to-end tests: node 0 starts a network, every other
 * node bootstraps from it. Keys come from a shared 2048-bit pool and the proof of work is off, so a
 * 50-node network starts in seconds. Public for the network benchmark ({@code ./bench net}).
 */
public final class TestNetwork implements AutoCloseable {

  final List<GossipNode> nodes = new ArrayList<>();
  private final Set<GossipNode> down = new HashSet<>();
  /** How each node was started, so that a test can start it again as a restarted process would be. */
  private final Map<GossipNode, Launch> launches = new HashMap<>();

  private record Launch(GossipConfig config, int key) {}
  private final int degree;
  private final NodeOptions options;
  /** Config keys set on every node after the test defaults, as an operator's file would set them. */
  private final Consumer<GossipConfig.Builder> keys;

  TestNetwork(int degree, NodeOptions options) {
    this(degree, options, k -> {});
  }

  private TestNetwork(int degree, NodeOptions options, Consumer<GossipConfig.Builder> keys) {
    this.degree = degree;
    this.options = options;
    this.keys = keys;
  }

  static TestNetwork start(int size, int degree) throws Exception {
    return start(size, degree, NodeOptions.production());
  }

  /** {@code options} with the fast-tests links ({@link NodeOptions#fastTests()}): crashes noticed quickly. */
  static TestNetwork start(int size, int degree, NodeOptions options) throws Exception {
    return startAsConfigured(size, degree, options.withLinks(NodeOptions.fastTests().links()));
  }

  /** {@code options} exactly as given, link settings included (the benchmark runs production timers). */
  public static TestNetwork startAsConfigured(int size, int degree, NodeOptions options) throws Exception {
    return startAsConfigured(size, degree, options, k -> {});
  }

  /**
   * As {@link #startAsConfigured(int, int, NodeOptions)}, each node's config keys then changed by
   * {@code keys} (e.g. {@code k -> k.cacheSize = 2000}), as an operator's config file sets them.
   */
  public static TestNetwork startAsConfigured(int size, int degree, NodeOptions options,
      Consumer<GossipConfig.Builder> keys) throws Exception {
    TestNetwork net = new TestNetwork(degree, options, keys);
    try {
      for (int i = 0; i < size; i++) net.add();
    } catch (Exception | Error e) {
      net.close();
      throw e;
    }
    return net;
  }

  /** Starts one more node, bootstrapped from node 0 (unless it is node 0). */
  GossipNode add() throws Exception {
    return add(0, nodes.size());
  }

  /**
   * Starts one more node requiring {@code powDifficulty} bits of its peers, with the i-th test key
   * (whose own proof of work is the nonce 0, enough only for difficulty 0).
   */
  GossipNode add(int powDifficulty, int key) throws Exception {
    int i = nodes.size();
    List<HostPort> bootstrap = i == 0
        ? List.of()
        : List.of(new HostPort("127.0.0.1", nodes.get(0).p2pAddress().getPort()));
    return add(bootstrap, 0, powDifficulty, key);
  }

  /**
   * Starts one more node, with the next test key, bootstrapping from {@code bootstrap} and
   * listening on {@code p2pPort} (0: any free port).
   */
  GossipNode add(List<HostPort> bootstrap, int p2pPort) throws Exception {
    return add(bootstrap, p2pPort, 0, nodes.size());
  }

  private GossipNode add(List<HostPort> bootstrap, int p2pPort, int powDifficulty, int key) throws Exception {
    int i = nodes.size();
    GossipConfig config = GossipConfig.withDefaults(keyDir().resolve("hostkey-" + i + ".pem"),
        new HostPort("127.0.0.1", p2pPort), new HostPort("127.0.0.1", 0)).with(k -> {
          k.source = Path.of("(test node " + i + ")");
          k.degree = degree;
          k.bootstrappers = bootstrap;
          k.powDifficulty = powDifficulty;
          keys.accept(k);
        });
    return launch(new Launch(config, key));
  }

  private GossipNode launch(Launch launch) throws Exception {
    GossipNode node = GossipNode.start(launch.config(), HostkeyFile.fromKeyPair(TestKeys.get(launch.key())), options);
    nodes.add(node);
    launches.put(node, launch);
    return node;
  }

  /**
   * Starts a node that was stopped again, as a restarted process: the same key and hostkey path (so
   * the same files beside it), the same config; only the ports it listens on are new when they were 0.
   */
  GossipNode restart(GossipNode stopped) throws Exception {
    if (!down.contains(stopped)) throw new IllegalStateException("node " + stopped.id() + " is still running");
    return launch(launches.get(stopped));
  }

  /** As {@link #restart(GossipNode)}, with {@code bootstrap} in place of the configured bootstrappers. */
  GossipNode restart(GossipNode stopped, List<HostPort> bootstrap) throws Exception {
    if (!down.contains(stopped)) throw new IllegalStateException("node " + stopped.id() + " is still running");
    Launch was = launches.get(stopped);
    GossipConfig config = was.config().with(k -> k.bootstrappers = bootstrap);
    return launch(new Launch(config, was.key()));
  }

  /** Where {@code node} keeps the files beside its hostkey (the peer cache among them). */
  Path hostkeyPath(GossipNode node) {
    return launches.get(node).config().hostkey();
  }

  public List<GossipNode> alive() {
    return nodes.stream().filter(n -> !down.contains(n)).toList();
  }

  void crash(GossipNode node) {
    down.add(node);
    node.crash();
  }

  void leave(GossipNode node) {
    down.add(node);
    node.close();
  }

  /** Active views of the live nodes, by identity. */
  public Map<NodeId, Set<NodeId>> activeViews() {
    Map<NodeId, Set<NodeId>> views = new HashMap<>();
    for (GossipNode n : alive()) {
      Set<NodeId> view = new HashSet<>();
      for (Peer p : n.activeView()) view.add(p.id());
      views.put(n.id(), view);
    }
    return views;
  }

  /** Whether the live nodes' active views form one connected graph (edges read both ways). */
  static boolean connected(Map<NodeId, Set<NodeId>> views) {
    if (views.isEmpty()) return true;
    Map<NodeId, Set<NodeId>> undirected = new HashMap<>();
    views.forEach((a, peers) -> {
      for (NodeId b : peers) {
        if (!views.containsKey(b)) continue;
        undirected.computeIfAbsent(a, k -> new HashSet<>()).add(b);
        undirected.computeIfAbsent(b, k -> new HashSet<>()).add(a);
      }
    });
    NodeId start = views.keySet().iterator().next();
    Set<NodeId> seen = new HashSet<>(Set.of(start));
    ArrayDeque<NodeId> queue = new ArrayDeque<>(seen);
    while (!queue.isEmpty()) {
      for (NodeId next : undirected.getOrDefault(queue.poll(), Set.of())) {
        if (seen.add(next)) queue.add(next);
      }
    }
    return seen.size() == views.size();
  }

  /** Whether every live node's active view lists only live peers that list it back. */
  static boolean symmetric(Map<NodeId, Set<NodeId>> views) {
    for (var e : views.entrySet()) {
      for (NodeId peer : e.getValue()) {
        Set<NodeId> back = views.get(peer);
        if (back == null || !back.contains(e.getKey())) return false;
      }
    }
    return true;
  }

  /**
   * Hops from {@code origin} to every node it can reach over these views (a breadth-first search);
   * nodes it cannot reach are absent. Views are read as directed: a symmetric snapshot is expected.
   */
  static Map<NodeId, Integer> distances(NodeId origin, Map<NodeId, Set<NodeId>> views) {
    Map<NodeId, Integer> hops = new HashMap<>(Map.of(origin, 0));
    ArrayDeque<NodeId> queue = new ArrayDeque<>(List.of(origin));
    while (!queue.isEmpty()) {
      NodeId at = queue.poll();
      for (NodeId next : views.getOrDefault(at, Set.of())) {
        if (views.containsKey(next) && hops.putIfAbsent(next, hops.get(at) + 1) == null) queue.add(next);
      }
    }
    return hops;
  }

  /** The live node with this identity. */
  GossipNode node(NodeId id) {
    return alive().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }

  /**
   * Waits until a NOTIFY for this type has reached {@code node}'s API hub. NOTIFY has no reply, so a
   * test that announces right after subscribing would race the subscription without this.
   */
  public static void awaitSubscribed(GossipNode node, int dataType) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> node.loop().submit(() -> node.apiHub().hasSubscribers(dataType)).get());
  }

  /** Waits until the live nodes' active views are non-empty, symmetric and form one connected overlay. */
  public void awaitOverlay(Duration atMost) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      Map<NodeId, Set<NodeId>> views = activeViews();
      return views.values().stream().noneMatch(Set::isEmpty) && symmetric(views) && connected(views);
    });
  }

  /** The broadcast counters summed over the live nodes. */
  public Map<BroadcastCounter, Long> broadcastTotals() {
    Map<BroadcastCounter, Long> sum = new EnumMap<>(BroadcastCounter.class);
    for (GossipNode n : alive()) n.broadcastCounters().forEach((c, v) -> sum.merge(c, v, Long::sum));
    return sum;
  }

  private Path keyDir;

  /**
   * Where a node that has to solve its proof of work stores it ({@code <hostkey>.pow}): a temporary
   * directory, never the working directory of the build.
   */
  private Path keyDir() throws java.io.IOException {
    if (keyDir == null) {
      keyDir = java.nio.file.Files.createTempDirectory("gossip-testnet");
      keyDir.toFile().deleteOnExit();
    }
    return keyDir;
  }

  @Override
  public void close() {
    alive().parallelStream().forEach(GossipNode::close);
  }
}
