package voidphone.gossip.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.Peer;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.link.TestKeys;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;
import voidphone.gossip.node.TestModule;

/**
 * The live view end to end: four real nodes on loopback, each told the others' admin endpoints as
 * {@code gossip testnet} does, a local module on each validating type 7. First without a browser
 * ({@code /graph} combines every node's record of an item into its tree), then in headless chromium
 * driven by {@code src/test/browser/live-view.mjs} (playwright-core): the page draws all four nodes,
 * an item is announced, and the page shows it reaching every node hop by hop. Skipped, saying why,
 * only when chromium or playwright-core cannot be installed (scripts/install-browser-test-deps.sh).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveViewBrowserTest {
  private static final int NODES = 4;
  private static final int TYPE = 7;
  private static final Path BROWSER_DIR = Path.of("src/test/browser");
  /** Debian's chromium; {@code -Dgossip.test.chromium=PATH} names another (or a missing one, to see the skip). */
  private static final Path CHROMIUM = Path.of(System.getProperty("gossip.test.chromium", "/usr/bin/chromium"));

  @TempDir static Path dir;
  private final List<GossipNode> nodes = new ArrayList<>();
  private final List<TestModule> modules = new ArrayList<>();
  private final List<InetSocketAddress> admins = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startNodes() throws Exception {
    List<HostPort> adminPeers = new ArrayList<>();
    for (int port : freePorts(NODES)) {
      adminPeers.add(new HostPort("127.0.0.1", port));
      admins.add(new InetSocketAddress("127.0.0.1", port));
    }
    NodeOptions options = NodeOptions.fastTests().withAdminPeers(adminPeers);
    for (int i = 0; i < NODES; i++) {
      int index = i;
      List<HostPort> bootstrap = i == 0 ? List.of() : List.of(new HostPort("127.0.0.1", nodes.get(0).p2pAddress().getPort()));
      GossipConfig config = GossipConfig.withDefaults(dir.resolve("hostkey-" + i + ".pem"),
          new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0)).with(k -> {
            k.source = Path.of("(live view test node " + index + ")");
            k.degree = 3;
            k.bootstrappers = bootstrap;
            k.powDifficulty = 0;
            k.adminAddress = Optional.of(adminPeers.get(index));
          });
      nodes.add(GossipNode.start(config, HostkeyFile.fromKeyPair(TestKeys.get(i)), options));
      modules.add(TestModule.connect(nodes.get(i)).subscribe(TYPE));
    }
    await().atMost(Duration.ofSeconds(20)).until(this::overlayConnected);
  }

  @AfterAll
  void stopNodes() {
    for (TestModule m : modules) m.close();
    nodes.parallelStream().forEach(GossipNode::close);
  }

  private boolean overlayConnected() {
    Map<String, Set<String>> links = new java.util.HashMap<>();
    for (GossipNode n : nodes) {
      for (Peer p : n.activeView()) {
        links.computeIfAbsent(n.id().hex(), k -> new HashSet<>()).add(p.id().hex());
        links.computeIfAbsent(p.id().hex(), k -> new HashSet<>()).add(n.id().hex());
      }
    }
    Set<String> reached = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>(List.of(nodes.get(0).id().hex()));
    while (!todo.isEmpty()) {
      String n = todo.poll();
      if (reached.add(n)) todo.addAll(links.getOrDefault(n, Set.of()));
    }
    return reached.size() == NODES;
  }

  @Test
  void graphCombinesEveryNodesRecordOfAnItemIntoItsTree() {
    modules.get(1).announce(0, TYPE, "tree check");
    String origin = nodes.get(1).id().hex();
    Set<String> ids = new HashSet<>();
    for (GossipNode n : nodes) ids.add(n.id().hex());
    URI graph = URI.create("http://" + LiveView.format(admins.get(0)) + "/graph");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> g = (Map<String, Object>) Json.parse(http.send(HttpRequest.newBuilder(graph).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat((List<?>) g.get("nodes")).hasSize(NODES);
      assertThat((List<?>) g.get("unreachable")).isEmpty();
      @SuppressWarnings("unchecked")
      Map<String, Object> tree = ((List<Map<String, Object>>) g.get("items")).stream()
          .filter(t -> origin.equals(t.get("origin"))).findFirst()
          .orElseThrow(() -> new AssertionError("no tree of an item of node 1 yet"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> receipts = (List<Map<String, Object>>) tree.get("receipts");
      assertThat(receipts).extracting(r -> r.get("node")).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(receipts.get(0)).as("the origin's record comes first")
          .containsEntry("node", origin).containsEntry("hops", 0L).containsEntry("from", null).containsEntry("verdict", "local");
      for (Map<String, Object> r : receipts.subList(1, receipts.size())) {
        assertThat(ids).as("each one got it from a node of the testnet").contains((String) r.get("from"));
        assertThat((Long) r.get("hops")).isBetween(1L, (long) NODES - 1);
        assertThat(r.get("verdict")).isEqualTo("valid");
        assertThat((Long) r.get("at_ms")).isGreaterThanOrEqualTo((Long) tree.get("first_ms"));
      }
    });
  }

  @Test
  void thePageShowsAnItemSpreadingToEveryNode() throws Exception {
    assumeBrowser();
    Process browser = new ProcessBuilder("node", "live-view.mjs", "http://" + LiveView.format(admins.get(0)) + "/",
        Integer.toString(NODES), "--timeout", "30", "--chromium", CHROMIUM.toString())
        .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          lines.add(line);
        }
      } catch (Exception ended) {
        // the process is gone
      }
    }, "live-view-browser-output");
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(nextMarker(lines)).as("the page draws every node: %s", output).isEqualTo("READY");
      modules.get(2).announce(0, TYPE, "seen in the browser");
      String spread = nextMarker(lines);
      assertThat(spread).as("the page shows the item reaching every node: %s", output).startsWith("SPREAD ");
      String[] parts = spread.split(" ");
      assertThat(Integer.parseInt(parts[2])).as("nodes shown reached").isEqualTo(NODES);
      assertThat(Integer.parseInt(parts[3])).as("tree arrows drawn").isEqualTo(NODES - 1);
      assertThat(browser.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(browser.exitValue()).as(output.toString()).isZero();
    } finally {
      browser.destroyForcibly();
    }
  }

  /** The next line the script prints of its own (READY, SPREAD, FAILED ...), within 40 s. */
  private static String nextMarker(BlockingQueue<String> lines) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (System.nanoTime() < end) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.matches("^(READY|SPREAD|FAILED|PROBLEMS)\\b.*")) return line;
    }
    return "(no answer from the browser script within 40 s)";
  }

  /** Installs chromium and playwright-core if they are missing and can be; skips the test if not. */
  private static void assumeBrowser() throws Exception {
    if (!browserReady()) {
      Process install = new ProcessBuilder("scripts/install-browser-test-deps.sh").inheritIO().start();
      install.waitFor(300, TimeUnit.SECONDS);
    }
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "no " + CHROMIUM + ": chromium could not be installed (needs root and apt-get: apt-get install chromium)");
    Assumptions.assumeTrue(Files.exists(BROWSER_DIR.resolve("node_modules/playwright-core/package.json")),
        "no playwright-core in " + BROWSER_DIR + "/node_modules: npm is missing or 'npm ci' failed there");
    Assumptions.assumeTrue(onPath("node"), "no node on the PATH to run " + BROWSER_DIR + "/live-view.mjs");
  }

  private static boolean browserReady() {
    return Files.isExecutable(CHROMIUM) && Files.exists(BROWSER_DIR.resolve("node_modules/playwright-core/package.json"));
  }

  private static boolean onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, command))) return true;
    }
    return false;
  }

  private static List<Integer> freePorts(int n) throws Exception {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) held.add(new ServerSocket(0));
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) s.close();
    }
  }
}
